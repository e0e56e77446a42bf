/** Public surface of the server stage. */
export { createApp, type AppOptions } from './app.js';
export type { ErrorBody, ErrorCode } from './errors.js';
