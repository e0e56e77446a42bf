/** Growing typed arrays, for the tables the analysis and the index builder fill as they go. */

type GrowableArray = Uint8Array | Int32Array | Uint32Array | Float64Array;

/** A copy of `array` with room for `length` entries, the new ones `fill`. */
export function grown<T extends GrowableArray>(array: T, length: number, fill = 0): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  if (fill !== 0) copy.fill(fill, array.length);
  return copy;
}
