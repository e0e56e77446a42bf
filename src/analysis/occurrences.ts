/** Where a term is written in text: a Latin word or number whole (`it` not in `edit`, `the` not in `there`), Chinese anywhere. */

/** A character that makes a Latin word or a number part of a longer one when next to it (Chinese does not: 用Java写). */
export const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;

/**
 * Where `term` is next written in `text`, at `from` or after; −1 when nowhere. A term that starts or ends with a Latin
 * letter or a digit must not be glued to another there.
 */
export function nextOccurrence(text: string, term: string, from = 0): number {
  if (term === '') return -1;
  let at = text.indexOf(term, from);
  // Most terms looked for are not there (keywords look every candidate up in its article's boilerplate): no tests then.
  if (at < 0) return -1;
  const latinStart = LATIN_OR_DIGIT.test(term[0]);
  const latinEnd = LATIN_OR_DIGIT.test(term[term.length - 1]);
  for (; at >= 0; at = text.indexOf(term, at + 1)) {
    const glued = (latinStart && LATIN_OR_DIGIT.test(text[at - 1] ?? '')) || (latinEnd && LATIN_OR_DIGIT.test(text[at + term.length] ?? ''));
    if (!glued) return at;
  }
  return -1;
}

/** Times `term` is written in `text` (see nextOccurrence), without overlaps. */
export function occurrencesIn(text: string, term: string): number {
  let count = 0;
  for (let at = nextOccurrence(text, term); at >= 0; at = nextOccurrence(text, term, at + term.length)) count++;
  return count;
}
