/** Public surface of the server stage. */
export { createApp, type App, type AppOptions } from './app.js';
export { startServer, type ServerOptions, type RunningServer } from './start.js';
export { IDLE_SCAVENGE_FLAG } from './idle-scavenges.js';
export type { ErrorBody, ErrorCode } from './errors.js';
export { normalizeBasePath, normalizeOrigin, SiteOptionError } from './site-options.js';
