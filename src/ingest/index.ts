/** Public surface of the ingest stage: article files → clean Article records. */
export { DEFAULT_MAX_BYTES, parseArticle, readArticle } from './article.js';
export { DEFAULT_TIME_ZONE_OFFSET } from './fields.js';
export { compareIds, isArticleFile, listCorpusFiles } from './files.js';
export { loadCorpus } from './load.js';
export { articleUrl } from './url.js';
export type { Article, CorpusFile, IngestError, IngestOptions, IngestResult, SourceEncoding } from './types.js';
