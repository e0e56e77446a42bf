/**
 * Manner questions (如何应对…, 怎样防范…, how to install…): the word right after the question word is the action asked
 * about, a verb in practice, and says how the user asks rather than what about. The question words themselves are
 * stop words; this list tells which of them are followed by such a verb (为什么, 什么是 are not: a noun may follow).
 * Plain text, so the browser runtime of a static export reads a query as the server does.
 */
const MANNER_QUESTION = /(?:如何|怎样|怎么|咋|(?<![a-z])how (?:to|do i|can i|should i))/;

/**
 * Whether the normalised stop words standing between two query words (如何, 应该怎样, how to) ask how: then the word
 * after them is the question's verb.
 */
export function asksHow(normalizedGap: string): boolean {
  return MANNER_QUESTION.test(normalizedGap.replace(/\s+/g, ' '));
}
