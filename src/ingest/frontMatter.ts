import { parseDocument } from 'yaml';

export type FrontMatterResult =
  | {
      ok: true;
      /** Parsed fields; empty when the file has no front matter. */
      data: Record<string, unknown>;
      hasFrontMatter: boolean;
      body: string;
    }
  | { ok: false; reason: string; line: number };

/**
 * Splits `---` YAML front matter from the body and parses it.
 * Blank lines before the opening `---` are allowed (every post of the RSSHub Hexo site starts with one).
 * The block ends at the next line that is `---` or `...`. Line numbers in errors count lines of the FILE.
 * `text` must use '\n' line ends.
 */
export function splitFrontMatter(text: string): FrontMatterResult {
  const opening = findOpening(text);
  if (opening === null) return { ok: true, data: {}, hasFrontMatter: false, body: text };

  const yamlStart = opening.end;
  const closing = findClosing(text, yamlStart);
  if (closing === null) {
    return {
      ok: false,
      reason: `YAML 头部格式错误（第 ${opening.line} 行）：开头的 '---' 没有对应的结束行 '---'`,
      line: opening.line,
    };
  }
  const yamlFirstLine = opening.line + 1;
  const yaml = text.slice(yamlStart, closing.start);
  const doc = parseDocument(yaml, { prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    const pos = error.linePos?.[0];
    // An error found at the very end (an unclosed quote or bracket) is placed on the last YAML line,
    // not on the closing '---'.
    const lastLine = yamlFirstLine + Math.max(0, countLines(yaml) - 1);
    const reported = yamlFirstLine + (pos ? pos.line - 1 : 0);
    const line = Math.min(reported, lastLine);
    const where = pos && reported === line ? `第 ${line} 行第 ${pos.col} 列` : `第 ${line} 行`;
    // The YAML library's own explanation stays as it words it (English).
    return { ok: false, reason: `YAML 头部格式错误（${where}）：${shortMessage(error.message)}`, line };
  }
  const value: unknown = doc.toJS();
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    return {
      ok: false,
      reason: `YAML 头部格式错误（第 ${yamlFirstLine} 行）：应为“键: 值”形式的字段，实际是${Array.isArray(value) ? '列表' : `一个 ${typeof value} 值`}`,
      line: yamlFirstLine,
    };
  }
  return {
    ok: true,
    data: (value ?? {}) as Record<string, unknown>,
    hasFrontMatter: true,
    body: text.slice(closing.end),
  };
}

/** The `---` line after optional blank lines; `end` is the offset after its line break. */
function findOpening(text: string): { line: number; end: number } | null {
  let offset = 0;
  let line = 1;
  for (;;) {
    const newline = text.indexOf('\n', offset);
    const lineText = text.slice(offset, newline === -1 ? text.length : newline);
    if (lineText.trim() !== '') {
      return lineText.trimEnd() === '---' && newline !== -1 ? { line, end: newline + 1 } : null;
    }
    if (newline === -1) return null;
    offset = newline + 1;
    line += 1;
  }
}

/** The first `---` or `...` line at or after `from`; `end` is the offset where the body starts. */
function findClosing(text: string, from: number): { start: number; end: number } | null {
  let offset = from;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline;
    const lineText = text.slice(offset, lineEnd).trimEnd();
    if (lineText === '---' || lineText === '...') {
      return { start: offset, end: newline === -1 ? text.length : newline + 1 };
    }
    if (newline === -1) return null;
    offset = newline + 1;
  }
  return null;
}

function countLines(text: string): number {
  let lines = text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}

/** yaml's pretty message repeats the position and the source line; the caller states the file line instead. */
function shortMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}
