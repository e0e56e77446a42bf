/** Public surface of the index stage: analyse articles, build an inverted index, persist it, load it. */
export { analyzeArticle } from './analyze.js';
export { IndexBuilder } from './builder.js';
export { lowerThreadPriority, THREAD_LIMITS } from './counting-thread.js';
export { PackedTerms, type PackedArticle } from './forward.js';
export {
  openIndex,
  openIndexWith,
  readCurrentGeneration,
  readIndexCatalog,
  registerServer,
  restampGeneration,
  servingProcesses,
  writeIndex,
  type OpenOptions,
} from './persist.js';
export { readSummaries, type ArticleSummaries } from './summaries.js';
export { ListingStamps, readStamps, stampsTrusted, type KnownHash } from './file-stamps.js';
export { runAtOnce, runInSlices, type Steps } from './slices.js';
export { readIndexSource, rebuildCommand } from './source.js';
export {
  acquireIndexLock,
  currentLockHolder,
  describeHolder,
  IndexLockedError,
  procStatFields,
  type AcquireOptions,
  type IndexLock,
  type LockHolder,
} from './lock.js';
export * from './types.js';
export { categoryAncestors, facetKey } from './facet-key.js';
export { aboutKeywords } from './keywords.js';
export { BOILERPLATE_RULES, boilerplateOf, edgeClauses, type EdgeText } from './boilerplate.js';
export { TITLE_ROLE_RULES, titleRoleWords, withoutKeywords } from './title-roles.js';
// The SphinxQL engine: schema, engine init's searchd configs, and writing an index's articles to the shards.
export { ENGINE_FIELDS, SUBWORD_FIELDS, UNDATED, WHOLE_FIELDS, engineDocId, engineTerm, facetAttribute, fieldLengthAttribute, shardOf, FILLER } from './engine/schema.js';
export { DEFAULT_ENGINE_TABLE, ENGINE_URL_ENV, EngineUrlError, formatAddress, parseEngineUrl, shardTable, type EngineAddress, type EngineUrl } from './engine/url.js';
export { AGENT_CONNECT_TIMEOUT_MS, AGENT_QUERY_TIMEOUT_MS, engineConfigPaths, engineDirectories, engineFiles, engineUrlOf, type EngineLayout } from './engine/config.js';
export { CONNECT_TIMEOUT_MS, connectEngine, EngineError, resolveShards, type EngineConnection, type ShardAddress } from './engine/connection.js';
export { positionPostings } from './engine/positions.js';
export { checkTableColumns, EngineSyncError, syncEngine, type EngineSyncSummary, type ShardSummary } from './engine/writer.js';
