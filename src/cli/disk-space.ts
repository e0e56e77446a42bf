/** Why an index could not be written, naming the disk and its space when it is full. */
import { statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from './errors.js';
import { formatBytes } from './format.js';

/** The error's message; for a full disk or quota (ENOSPC, EDQUOT), which disk, how big, how much is left, what to do. */
export function writeFailure(indexDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return errorMessage(error);
  return `磁盘空间不足（${code}）：索引目录所在的磁盘 ${describeDisk(indexDir)}已写满；原索引保持不变，腾出空间后再运行 reindex`;
}

function describeDisk(dir: string): string {
  try {
    const { bsize, blocks, bavail } = statfsSync(dir);
    return `${mountPoint(dir)}（共 ${formatBytes(blocks * bsize)}，剩余 ${formatBytes(bavail * bsize)}）`;
  } catch {
    return `${dir}（容量未知）`;
  }
}

/** The folder the disk holding `dir` is mounted at: the highest ancestor on the same device. */
function mountPoint(dir: string): string {
  let current = path.resolve(dir);
  const device = statSync(current).dev;
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current || statSync(parent).dev !== device) return current;
    current = parent;
  }
}
