/** LEB128 variable-length unsigned integers (7 bits per byte, high bit = more), the on-disk number encoding. */

/** Writes `value` as a varint at bytes[offset] (room for 5 bytes assumed); returns the offset after it. */
export function putVarint(bytes: Uint8Array, offset: number, value: number): number {
  let n = value >>> 0;
  while (n >= 0x80) {
    bytes[offset++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  bytes[offset++] = n;
  return offset;
}

/** How many bytes putVarint writes for `value`. */
export function varintBytes(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : value < 0x1000_0000 ? 4 : 5;
}

/** Growable byte buffer that numbers and raw bytes are appended to. */
export class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private size = 0;

  writeVarint(value: number): void {
    if (this.size + 5 > this.buffer.length) this.grow(5);
    if (value >>> 0 !== value) throw new RangeError(`varint out of range: ${value}`);
    this.size = putVarint(this.buffer, this.size, value);
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.size + bytes.length > this.buffer.length) this.grow(bytes.length);
    this.buffer.set(bytes, this.size);
    this.size += bytes.length;
  }

  /** A file's magic (ASCII), what expectMagic checks. */
  writeMagic(magic: string): void {
    this.writeBytes(new TextEncoder().encode(magic));
  }

  get length(): number {
    return this.size;
  }

  /** Empties the buffer for reuse (its memory is kept). */
  reset(): void {
    this.size = 0;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.size);
  }

  private grow(needed: number): void {
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.size + needed));
    next.set(this.buffer.subarray(0, this.size));
    this.buffer = next;
  }
}

/**
 * Decodes `count` varints from bytes[offset..end) into out[outOffset..]; returns the offset after them.
 * The hot loop of loading postings: one-byte values (most gaps) take the fast path.
 */
export function decodeVarints(
  bytes: Uint8Array,
  offset: number,
  end: number,
  count: number,
  out: Uint32Array,
  outOffset: number,
): number {
  for (let n = 0; n < count; n++) {
    if (offset >= end) throw new RangeError('unexpected end of data');
    let byte = bytes[offset++];
    if (byte < 0x80) {
      out[outOffset + n] = byte;
      continue;
    }
    let value = byte & 0x7f;
    let shift = 7;
    for (;;) {
      if (offset >= end) throw new RangeError('unexpected end of data');
      byte = bytes[offset++];
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7;
      if (shift > 28) throw new RangeError('varint too long');
    }
    out[outOffset + n] = value >>> 0;
  }
  return offset;
}

/** Sequential reader over bytes written by ByteWriter; throws on reading past the end. */
export class ByteReader {
  offset = 0;
  private readonly one = new Uint32Array(1);
  constructor(readonly bytes: Uint8Array) {}

  readVarint(): number {
    this.offset = decodeVarints(this.bytes, this.offset, this.bytes.length, 1, this.one, 0);
    return this.one[0];
  }

  /** `count` varints at once, into a new array. */
  readVarints(count: number): Uint32Array {
    const out = new Uint32Array(count);
    this.offset = decodeVarints(this.bytes, this.offset, this.bytes.length, count, out, 0);
    return out;
  }

  readBytes(count: number): Uint8Array {
    if (this.offset + count > this.bytes.length) throw new RangeError('unexpected end of data');
    const view = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  /** Reads a file's magic; throws "not a <what> (magic …)" when it is not `magic`. */
  expectMagic(magic: string, what: string): void {
    const found = new TextDecoder().decode(this.readBytes(magic.length));
    if (found !== magic) throw new Error(`not a ${what} (magic ${JSON.stringify(found)})`);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }
}
