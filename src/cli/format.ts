/** Terminal output: summaries, search results and stats as readable Chinese text. */
import type { EngineSyncSummary } from '../index/index.js';
import type { IndexSource, NewWord } from '../index/types.js';
import type { IndexStats, SearchResult } from '../search/types.js';
import { DROPPED_BY_REBUILD, type ReindexSummary } from './reindex-summary.js';

/** Skipped files listed in the human summary (JSON lists more). */
const SKIPPED_FILES_SHOWN = 20;

const ANSI = { mark: '\x1b[1;31m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export interface OutputStyle {
  /** ANSI colours (a terminal without NO_COLOR); otherwise matches are bracketed. */
  color: boolean;
}

export function outputStyleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): OutputStyle {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { color: false };
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return { color: true };
  return { color: Boolean(stream.isTTY) };
}

/** Columns a string takes in a terminal: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  return width;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} 秒`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} 分 ${Math.round(seconds - minutes * 60)} 秒`;
}

/** A search snippet (HTML, matches in <mark>) as terminal text. */
export function renderSnippet(html: string, style: OutputStyle): string {
  const [open, close] = style.color ? [ANSI.mark, ANSI.reset] : ['[', ']'];
  return unescapeHtml(html.replace(/<mark>/g, '\u0000').replace(/<\/mark>/g, '\u0001'))
    .replace(/\u0000/g, open)
    .replace(/\u0001/g, close)
    .replace(/\s+/g, ' ')
    .trim();
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, entity: string) => {
    switch (entity) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'nbsp': return ' ';
      default: return "'";
    }
  });
}

export function renderSearchResult(result: SearchResult, style: OutputStyle): string {
  const paint = (code: string, text: string) => (style.color ? `${code}${text}${ANSI.reset}` : text);
  const pages = Math.max(1, Math.ceil(result.total / result.size));
  const lines: string[] = [];
  const didYouMean = result.did_you_mean ? `你是不是要找：${result.did_you_mean}` : null;
  if (result.total === 0) {
    lines.push(`没有找到与“${result.query}”相关的文章。`);
    if (didYouMean) lines.push(didYouMean);
    return lines.join('\n') + '\n';
  }
  lines.push(`共 ${result.total} 条结果（第 ${result.page}/${pages} 页，用时 ${result.took_ms} 毫秒）`);
  if (didYouMean) lines.push(didYouMean);
  lines.push('');
  result.hits.forEach((hit, i) => {
    const rank = (result.page - 1) * result.size + i + 1;
    const date = hit.date ? hit.date.slice(0, 10) : '无日期';
    lines.push(`${String(rank).padStart(3)}. ${paint(ANSI.bold, hit.title)}`);
    const meta = [date, hit.categories.join(' / '), hit.author ?? '', `评分 ${hit.score.toFixed(2)}`].filter(Boolean);
    lines.push(`     ${paint(ANSI.dim, meta.join('  ·  '))}`);
    if (hit.snippet) lines.push(`     ${renderSnippet(hit.snippet, style)}`);
    lines.push(`     ${paint(ANSI.dim, hit.id)}`, '');
  });
  if (result.page < pages) lines.push(paint(ANSI.dim, `下一页：加上 --page ${result.page + 1}`));
  return lines.join('\n') + '\n';
}

export function renderReindexSummary(summary: ReindexSummary): string {
  const heading = {
    written: summary.mode === 'full' ? `索引完成：全量重建（${summary.fullReason}）` : '索引完成：增量更新',
    'up-to-date': '索引已是最新，无需写入',
    failed: '索引未写入，原索引保持不变',
  }[summary.status];
  const rows: [string, string][] = [
    ['文章文件', `${summary.files}`],
    ['重新分析', `${summary.indexed}（新增 ${summary.added}，改动 ${summary.changed}）`],
    ['未改动', `${summary.unchanged}`],
    ['已删除', removedRow(summary)],
    ['未发布', summary.notPublished === 0 ? '0' : `${summary.notPublished}（published: false、草稿或以 _ . 开头，不算错误；--json 列出）`],
    ['已跳过', `${summary.skipped}`],
    ['有警告', summary.warned === 0 ? '0' : `${summary.warned}（已索引，见下）`],
  ];
  const site = summary.site === null ? [] : [`  Hexo 站点 ${summary.site}，时区 ${summary.timeZone}`];
  const rowLines = table(rows);
  // The skip reasons go under their row (已跳过), before the warnings' row.
  const reasons = summary.skippedReasons.slice(0, 5).map(({ reason, count }) => `      ${count} × ${reason}`);
  const lines = [heading, ...site, ...rowLines.slice(0, -1), ...reasons, rowLines.at(-1)!];
  if (summary.skipped > 0) {
    lines.push('  跳过的文件：');
    for (const file of summary.skippedFiles.slice(0, SKIPPED_FILES_SHOWN)) lines.push(`    ${file.id}：${file.reason}`);
    if (summary.skipped > SKIPPED_FILES_SHOWN) lines.push(`    ……另有 ${summary.skipped - SKIPPED_FILES_SHOWN} 个（--json 查看全部）`);
  }
  if (summary.warned > 0) {
    lines.push('  有警告的文件：');
    for (const file of summary.warnedFiles.slice(0, SKIPPED_FILES_SHOWN)) lines.push(`    ${file.id}：${file.warnings.join('；')}`);
    if (summary.warned > SKIPPED_FILES_SHOWN) lines.push(`    ……另有 ${summary.warned - SKIPPED_FILES_SHOWN} 个（--json 查看全部）`);
  }
  lines.push(
    ...table([
      ['文章总数', `${summary.articles}`],
      ['用时', `${formatDuration(summary.seconds)}（分析 ${formatBytes(summary.analysedBytes)}，${summary.megabytesPerSecond.toFixed(1)} MB/s，${summary.workers} 个线程，${summary.segmenter}）`],
      ['索引大小', `${formatBytes(summary.indexBytes)}（${summary.index}，generation ${summary.generation ?? '—'}）`],
    ]),
  );
  return lines.join('\n') + '\n';
}

/** 已删除, saying how many of them are files a full rebuild could not index this time (named under 跳过的文件). */
function removedRow(summary: ReindexSummary): string {
  const unindexable = summary.skippedFiles.filter((file) => file.reason.endsWith(DROPPED_BY_REBUILD)).length;
  return unindexable === 0 ? `${summary.removed}` : `${summary.removed}（其中 ${unindexable} 篇的文件这次无法索引，见“跳过的文件”）`;
}

/** `heading` names where the figures come from (`索引 DIR`, `引擎 sphinxql://…`); an engine counts no terms. */
/** `source`: what the local index remembers of its corpus (never part of /api/stats: server paths stay private). */
export function renderStats(stats: IndexStats, heading: string, engine = false, source?: IndexSource): string {
  const sourceRows: [string, string][] = source ? [['文章目录', source.corpus], ['用户词典', source.userDictionary ?? '无']] : [];
  const lines = [
    heading,
    ...table([
      ...sourceRows,
      ['文章数', `${stats.articles}`],
      ['词项数', engine ? '（引擎不统计）' : `${stats.terms}`],
      ['原文大小', formatBytes(stats.sourceBytes)],
      ['分词器', `${stats.analyzer.segmenter} ${stats.analyzer.version}（词典 ${stats.analyzer.dictHash.slice(0, 12)}，规则 ${stats.analyzer.rules}）`],
      ['generation', stats.generation],
      ['建立时间', stats.builtAt],
    ]),
    engine ? '  分片：' : '  文件：',
    ...stats.files.map((f) => `    ${formatBytes(f.bytes).padStart(9)}  ${f.name}`),
    `    ${formatBytes(stats.files.reduce((sum, f) => sum + f.bytes, 0)).padStart(9)}  合计`,
  ];
  return lines.join('\n') + '\n';
}

/** `stats --new-words`: the index's collocations, most frequent first, and how to make them dictionary words. */
export function renderNewWords(words: readonly NewWord[], indexDir: string): string {
  if (words.length === 0) return `索引 ${indexDir} 中没有候选新词（没有足够常见、总连在一起出现的相邻词）\n`;
  const header = `索引 ${indexDir} 中的候选新词：${words.length} 个（常连在一起出现的相邻词，已作为一个关键词）`;
  const width = Math.max(displayWidth('词'), ...words.map((w) => displayWidth(w.word)));
  const pad = (text: string) => text + ' '.repeat(width - displayWidth(text));
  const lines = [
    header,
    `  ${pad('词')}  ${'次数'.padStart(6)}  ${'篇数'.padStart(6)}  分词`,
    ...words.map((w) => `  ${pad(w.word)}  ${String(w.count).padStart(8)}  ${String(w.docs).padStart(8)}  ${w.parts.join(' + ')}`),
    '要让分词器把其中的词当作一个词：按“词 词频 词性”写进用户词典 dict.txt（如 加沙地带 1000 n），再运行 zhsearch reindex。',
  ];
  return lines.join('\n') + '\n';
}

/** Two columns, the first padded to its widest cell (CJK-aware), indented by two spaces. */
export function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  return rows.map(([label, value]) => `  ${label}${' '.repeat(width - displayWidth(label))}  ${value}`);
}

/** What a reindex wrote to the engine, shard by shard. */
export function renderEngineSummary(summary: EngineSyncSummary): string {
  const lines = [
    `引擎 ${summary.url}：写入 ${summary.written} 篇，删除 ${summary.removed} 篇，未变 ${summary.unchanged} 篇`,
    ...summary.shards.map(
      (shard) =>
        `  分片 ${shard.shard + 1}（${shard.address}）：${shard.articles} 篇，写入 ${shard.written}，删除 ${shard.removed}` +
        (shard.error === undefined ? '' : `，失败：${shard.error}`),
    ),
  ];
  return lines.join('\n') + '\n';
}
