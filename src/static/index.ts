/**
 * Public surface of the static stage: `zhsearch export` writes a search that runs in the reader's browser (export.ts);
 * openStaticSearch is its runtime (a SearchBackend over the exported chunks).
 */
export { exportStatic, type ExportOptions, type ExportSummary } from './export.js';
export { httpChunkLoader, openStaticSearch, type ChunkLoader, type StaticBackend } from './runtime.js';
export { ExportError } from './page-files.js';
export { DATA_DIR, MANIFEST_FILE, type StaticManifest } from './format.js';
