/** LEB128 variable-length unsigned integers (7 bits per byte, high bit = more), the on-disk number encoding. */

/** Growable byte buffer that numbers and raw bytes are appended to. */
export class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private length = 0;

  writeVarint(value: number): void {
    if (this.length + 5 > this.buffer.length) this.grow(5);
    let n = value >>> 0;
    if (n !== value) throw new RangeError(`varint out of range: ${value}`);
    while (n >= 0x80) {
      this.buffer[this.length++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buffer[this.length++] = n;
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buffer.length) this.grow(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + needed));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}

/** Sequential reader over bytes written by ByteWriter; throws on reading past the end. */
export class ByteReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  readVarint(): number {
    const bytes = this.bytes;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.offset >= bytes.length) throw new RangeError('unexpected end of data');
      const byte = bytes[this.offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
      if (shift > 28) throw new RangeError('varint too long');
    }
  }

  readBytes(count: number): Uint8Array {
    if (this.offset + count > this.bytes.length) throw new RangeError('unexpected end of data');
    const view = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }
}
