/** Public surface of the index stage: analyse articles, build an inverted index, persist it, load it. */
export { analyzeArticle } from './analyze.js';
export { IndexBuilder } from './builder.js';
export { openIndex, readCurrentGeneration, readIndexCatalog, writeIndex } from './persist.js';
export {
  acquireIndexLock,
  currentLockHolder,
  describeHolder,
  IndexLockedError,
  type AcquireOptions,
  type IndexLock,
  type LockHolder,
} from './lock.js';
export * from './types.js';
