/**
 * The part of the search stage's browser-safe code (portable.ts) that helps a reader with a query rather than
 * answering it: suggestions as they type and "did you mean". A surface of its own: a bundle splits into chunks at
 * module boundaries, and the static page (src/static) loads these only when first used, which a module reached from
 * portable.ts would prevent.
 */
export { firstCharacter, keyStartsFirst, PrefixWords, typedWords } from './suggest.js';
export { correctionKeys, queryCorrectionKeys, SpellingCorrector, type Vocabulary } from './did-you-mean.js';
