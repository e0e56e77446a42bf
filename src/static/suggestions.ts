/**
 * The static runtime's suggestions (the server's): the suggestion words of the typed words' first characters
 * (format.ts, w*.bin), then the texts of the entries shown (g*.bin). Loaded by the runtime on the first suggestion
 * asked for: a chunk of its own in the page.
 */
import { firstCharacter, keyStartsFirst, PrefixWords, typedWords } from '../search/portable-aids.js';
import type { Suggestion } from '../search/portable.js';
import { readJson, SUGGESTION_GROUP, suggestionDetailsFile, suggestionFile } from './bucket-files.js';
import type { LaterManifest, SuggestionBucket, SuggestionDetails } from './format.js';
import type { RuntimeAccess } from './runtime.js';

export function staticSuggester(runtime: RuntimeAccess, manifest: LaterManifest): (prefix: string, limit?: number) => Promise<Suggestion[]> {
  /** The server's suggestion words of the first characters fetched so far, and the keys of their entries. */
  const suggestionWords = new PrefixWords();
  const suggestionKeys = new Map<number, string>();
  const loadSuggestionWords = runtime.bucketLoader(manifest.suggestionBuckets, (bucket) => suggestionFile(manifest, bucket), readJson<SuggestionBucket>, (content) => {
    for (const [word, refs] of content) {
      for (const ref of refs) {
        suggestionWords.add(word, ref >> 1);
        if (ref & 1) suggestionKeys.set(ref >> 1, word);
      }
    }
  });
  const suggestionDetails = (group: number): Promise<SuggestionDetails> =>
    runtime.chunk(suggestionDetailsFile(manifest, group)).then(readJson<SuggestionDetails>);

  return async (prefix, limit = 8) => {
    await runtime.loadCharacters([prefix]);
    const typed = typedWords(prefix, runtime.analyzer().normalize);
    if (typed.length === 0 || limit <= 0) return [];
    await loadSuggestionWords(typed.map(firstCharacter));
    // An entry whose key is not loaded has a key starting elsewhere than the first typed word.
    const shown = keyStartsFirst(suggestionWords.match(typed, limit), (entry) => suggestionKeys.get(entry) ?? '', typed).slice(0, limit);
    return Promise.all(
      shown.map(async (entry) => {
        const [text, kind, url] = (await suggestionDetails(Math.floor(entry / SUGGESTION_GROUP)))[entry % SUGGESTION_GROUP]!;
        return url === undefined ? { text, kind } : { text, kind, url };
      }),
    );
  };
}
