/** Public surface of the ingest stage: article files → clean Article records. */
export { DEFAULT_MAX_BYTES, PLAIN_SITE, parseArticle, readArticle } from './article.js';
export { DRAFTS_PREFIX } from './drafts.js';
export { CATEGORY_SEPARATOR } from './fields.js';
export { fileErrorReason } from './file-errors.js';
export { compareIds, corpusFilePath, isArticleFile, listCorpusFiles } from './files.js';
export { loadCorpus } from './load.js';
export { checkBaseUrl, findHexoSite, listSiteFiles, readHexoConfig, SiteConfigError, sitePostsDir, siteSettings, type SiteChoice } from './site.js';
export { DEFAULT_TIME_ZONE, formatInZone, wallClockOf } from './timeZone.js';
export { articleUrl } from './url.js';
export type {
  Article,
  CorpusFile,
  FileStamp,
  HexoConfig,
  IngestError,
  IngestOptions,
  IngestResult,
  NotPublished,
  SiteSettings,
  SourceEncoding,
} from './types.js';
