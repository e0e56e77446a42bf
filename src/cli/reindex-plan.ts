/** Incremental reindex as a diff of content hashes: what to analyse, what to keep, what to drop. */

export interface HashedFile {
  /** Corpus-relative article id. */
  id: string;
  /** sha256 hex of the file's bytes. */
  contentHash: string;
}

export interface ReindexPlan<F extends { id: string }> {
  /** New files (not in the index). */
  added: F[];
  /** Files whose hash differs from the indexed one: their old document is removed, the file re-analysed. */
  changed: F[];
  /** Ids whose file is unchanged: kept as indexed, not read again. */
  unchanged: string[];
  /** Ids in the index whose file is gone. */
  removed: string[];
}

export function planReindex<F extends HashedFile>(files: readonly F[], indexed: Iterable<HashedFile>): ReindexPlan<F> {
  const indexedHash = new Map<string, string>();
  for (const doc of indexed) indexedHash.set(doc.id, doc.contentHash);

  const plan: ReindexPlan<F> = { added: [], changed: [], unchanged: [], removed: [] };
  const present = new Set<string>();
  for (const file of files) {
    present.add(file.id);
    const previous = indexedHash.get(file.id);
    if (previous === undefined) plan.added.push(file);
    else if (previous !== file.contentHash) plan.changed.push(file);
    else plan.unchanged.push(file.id);
  }
  for (const id of indexedHash.keys()) if (!present.has(id)) plan.removed.push(id);
  return plan;
}
