import { CATEGORY_SEPARATOR } from '../ingest/portable.js';

/**
 * The comparison form of a facet value or filter: normalised, inner whitespace collapsed (filters match after
 * normalisation), and category levels separated the one way (`编程>运维` and `编程 › 运维` are the same path).
 */
export function facetKey(value: string, normalize: (s: string) => string): string {
  return normalize(value)
    .split(/\s*[›>]\s*/)
    .map((level) => level.trim().replace(/\s+/g, ' '))
    .join(CATEGORY_SEPARATOR);
}

/**
 * `编程 › 运维 › 笔记` → `编程`, `编程 › 运维`, `编程 › 运维 › 笔记`: a category path counts for its ancestors too, so
 * a filter on 编程 finds everything under it and facets count each level.
 */
export function categoryAncestors(path: string): string[] {
  const levels = path.split(CATEGORY_SEPARATOR);
  return levels.map((_, i) => levels.slice(0, i + 1).join(CATEGORY_SEPARATOR));
}
