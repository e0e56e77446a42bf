import type { SourceEncoding } from './types.js';

export type DecodeResult =
  | { ok: true; text: string; encoding: SourceEncoding }
  | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
// WHATWG 'gb18030' is a superset of GBK and GB2312, so it covers files saved by older Chinese editors.
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/**
 * Turns a file's bytes into text: UTF-8 (a leading BOM is dropped), else GB18030.
 * Binary content is refused: a NUL byte never occurs in UTF-8 or GB18030 text,
 * and UTF-16 files (which contain NULs) get a reason of their own.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { ok: false, reason: '不支持 UTF-16 编码的文本：请把文件另存为 UTF-8' };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { ok: false, reason: `二进制文件：第 ${nul} 字节是 NUL` };
  }
  const decoded = decodeWith(utf8, bytes, 'utf-8') ?? decodeWith(gb18030, bytes, 'gb18030');
  if (decoded === null) {
    return { ok: false, reason: '二进制文件：既不是有效的 UTF-8，也不是有效的 GB18030' };
  }
  if (controlCharShare(decoded.text) > 0.01) {
    return { ok: false, reason: '二进制文件：控制字符超过 1%' };
  }
  return decoded;
}

function decodeWith(
  decoder: TextDecoder,
  bytes: Uint8Array,
  encoding: SourceEncoding,
): { ok: true; text: string; encoding: SourceEncoding } | null {
  try {
    return { ok: true, text: decoder.decode(bytes), encoding };
  } catch {
    return null;
  }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Share of C0 control characters other than tab, newline, form feed and carriage return. */
function controlCharShare(text: string): number {
  if (text.length === 0) return 0;
  const controls = text.match(/[\x01-\x08\x0b\x0e-\x1f\x7f]/g);
  return (controls?.length ?? 0) / text.length;
}
