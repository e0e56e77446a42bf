/** Public surface of the index stage: analyse articles, build an inverted index, persist it, load it. */
export { analyzeArticle } from './analyze.js';
export { IndexBuilder } from './builder.js';
export { openIndex, readCurrentGeneration, readIndexCatalog, writeIndex } from './persist.js';
export * from './types.js';
