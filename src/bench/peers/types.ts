/** A peer search library driven through one small interface, so every peer is measured the same way. */
import type { PeerDoc, PeerQuery } from '../peerText.js';

export interface PeerIndex {
  /** Ids of the best `limit` documents, best first. */
  search(query: PeerQuery, limit: number): string[];
  /** Persists the index into the folder it was built for (a no-op for peers that build on disk). */
  save(): Promise<void>;
}

export interface Peer {
  /** Short name used on the command line and in child-process tasks. */
  name: string;
  /** Row label in the tables, saying how the peer was fed and queried. */
  label: string;
  /** Whether the peer indexes the shared jieba tokens (false: its own tokenizer on raw text). */
  jiebaTokens: boolean;
  /** Builds an index of `docs` for the (empty, existing) folder `dir`. */
  build(docs: readonly PeerDoc[], dir: string): Promise<PeerIndex>;
  load(dir: string): Promise<PeerIndex>;
}
