/** The part of the index stage that runs anywhere, a browser included: its data shapes and the varint byte codec. */
export type * from './types.js';
export { ByteReader, ByteWriter } from './varint.js';
export { categoryAncestors, facetKey } from './facet-key.js';
export { runAtOnce, type Steps } from './slices.js';
