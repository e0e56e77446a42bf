/**
 * The names of a static export's bucket files (vocabulary, Latin affixes, corrections, suggestions; format.ts says
 * what each holds) and the reading of a JSON chunk. No imports but types: the runtime's parts loaded on first use
 * (corrections.ts, suggestions.ts) read these, and in a bundle without chunks (embed.js) everything such a part
 * imports is wrapped to run late, which format.ts's own imports (the search stage) would make costly.
 */
import type { LaterManifest, StaticManifest } from './format.js';

/** Hex digits of content hash in a vocabulary bucket's name (its number makes it unique; the hash busts caches). */
export const BUCKET_HASH_DIGITS = 6;

/** Vocabulary buckets sharing a content hash in their names (a changed bucket renames its group's). */
export const VOCABULARY_GROUP = 16;

/** File name of vocabulary bucket `bucket`. */
export function vocabularyFile(manifest: Pick<StaticManifest, 'vocabulary'>, bucket: number): string {
  return `v${bucket}-${groupHash(manifest.vocabulary, Math.floor(bucket / VOCABULARY_GROUP))}.bin`;
}

/** File name of Latin affix bucket `bucket`. */
export function latinAffixFile(manifest: Pick<StaticManifest, 'latinAffixes'>, bucket: number): string {
  return bucketFile('l', manifest.latinAffixes, bucket);
}

/** File name of correction bucket `bucket`. */
export function correctionFile(manifest: Pick<LaterManifest, 'corrections'>, bucket: number): string {
  return bucketFile('c', manifest.corrections, bucket);
}

/** File name of suggestion word bucket `bucket`. */
export function suggestionFile(manifest: Pick<LaterManifest, 'suggestions'>, bucket: number): string {
  return bucketFile('w', manifest.suggestions, bucket);
}

/** Entries per suggestion detail file. */
export const SUGGESTION_GROUP = 64;
/** Hex digits of content hash in a suggestion detail file's name. */
export const DETAILS_HASH_DIGITS = 4;

/** File name of the suggestion details of entries [group × SUGGESTION_GROUP, (group + 1) × SUGGESTION_GROUP). */
export function suggestionDetailsFile(manifest: Pick<LaterManifest, 'suggestionDetails'>, group: number): string {
  return `g${group}-${manifest.suggestionDetails.slice(group * DETAILS_HASH_DIGITS, (group + 1) * DETAILS_HASH_DIGITS)}.bin`;
}

function bucketFile(prefix: string, hashes: string, bucket: number): string {
  return `${prefix}${bucket}-${groupHash(hashes, bucket)}.bin`;
}

/** Hash `n` of `hashes` (BUCKET_HASH_DIGITS hex digits each, concatenated). */
function groupHash(hashes: string, n: number): string {
  return hashes.slice(n * BUCKET_HASH_DIGITS, (n + 1) * BUCKET_HASH_DIGITS);
}

/** A JSON chunk, inflated. */
export function readJson<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}
