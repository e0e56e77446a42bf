/**
 * A file's bytes read by range: from memory, or from an open file on demand. The large files of a generation
 * (body.postings, text.bin: 85 MB of the scale index's 90) are checked at load by streaming them through a small
 * buffer and afterwards read a posting block or a text block at a time: a process touches a small part of them, and
 * memory first written costs far more than the read (on this machine 45 MB read whole, then first scanned, took
 * ~370 ms of CPU; streamed through 1 MB, read and checksum took 36 ms).
 */
import fs from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** bytes[start, end): a view of the source's own memory, or a new buffer read from the file. */
  read(start: number, end: number): Uint8Array;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}

/** The file is closed once no source reading it is reachable (a server drops a generation's reader when it switches). */
const openFiles = new FinalizationRegistry<number>((fd) => fs.close(fd, () => {}));

/**
 * A source over the open file `fd` of `size` bytes; it owns the descriptor from now on. A read the file cannot answer
 * (changed since it was checked) throws `problem(detail)`.
 */
export function fileSource(fd: number, size: number, problem: (detail: string) => Error): ByteSource {
  const source: ByteSource = {
    size,
    read(start, end) {
      if (start < 0 || end > size || start > end) throw problem(`第 ${start}–${end} 字节不在文件的 ${size} 字节之内`);
      const bytes = Buffer.allocUnsafe(end - start);
      for (let done = 0; done < bytes.length; ) {
        const count = fs.readSync(fd, bytes, done, bytes.length - done, start + done);
        if (count === 0) throw problem(`文件在第 ${start + done} 字节处结束，应有 ${size} 字节`);
        done += count;
      }
      return bytes;
    },
  };
  openFiles.register(source, fd);
  return source;
}
