/** Public surface of the CLI stage: the command runner and the reindex pipeline (used by benchmarks). */
export { main } from './cli.js';
export { reindex, ReindexError, type ReindexOptions } from './reindex.js';
export type { ReindexSummary, SkippedFile } from './reindex-summary.js';
export { planReindex, type ReindexPlan, type HashedFile } from './reindex-plan.js';
