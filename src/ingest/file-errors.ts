/** A file system error as a reason a reader understands: what went wrong in Chinese, then node's code. */

const REASONS: Record<string, string> = {
  EACCES: '没有读取权限',
  EPERM: '操作不被允许',
  ENOENT: '文件不存在（读取时已被删除或改名）',
  ELOOP: '符号链接层数过多（循环）',
  EIO: '磁盘读写错误',
  EISDIR: '是文件夹，不是文件',
  ENAMETOOLONG: '路径太长',
  EMFILE: '打开的文件太多',
};

export function fileErrorReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reason = code === undefined ? undefined : REASONS[code];
  return reason === undefined ? String(message) : `${reason}（${code}）`;
}
