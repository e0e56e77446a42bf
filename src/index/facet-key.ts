/** The comparison form of a facet value or filter: normalised, inner whitespace collapsed (filters match after normalisation). */
export function facetKey(value: string, normalize: (s: string) => string): string {
  return normalize(value).trim().replace(/\s+/g, ' ');
}
