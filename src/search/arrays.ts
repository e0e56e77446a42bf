/**
 * `items.map(fn)` as a loop into a literal. Ranking code builds its per-search arrays with it: in optimised code an
 * inlined map (or filter, flatMap, spread) made arrays of another elements kind than the interpreter's, an empty one
 * above all, and the code reading them deoptimised and was compiled again, search after search.
 */
export function mapped<T, U>(items: readonly T[], fn: (item: T, i: number) => U): U[] {
  const out: U[] = [];
  items.forEach((item, i) => out.push(fn(item, i)));
  return out;
}
