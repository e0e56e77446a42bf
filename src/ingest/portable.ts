/** The part of the ingest stage that runs anywhere, a browser included: wall-clock dates and category paths of articles. */
export { wallClockOf } from './timeZone.js';
export { CATEGORY_SEPARATOR } from './fields.js';
