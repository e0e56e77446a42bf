/** Every peer, in table order. */
import { flexSearchCjkPeer, flexSearchJiebaPeer } from './flexsearch.js';
import { miniSearchPeer } from './minisearch.js';
import { oramaPeer } from './orama.js';
import { sqliteJiebaPeer, sqliteTrigramPeer } from './sqlite.js';
import type { Peer } from './types.js';

export type { Peer, PeerIndex } from './types.js';

export const PEERS: readonly Peer[] = [sqliteJiebaPeer, miniSearchPeer, flexSearchJiebaPeer, flexSearchCjkPeer, sqliteTrigramPeer, oramaPeer];

export function peerByName(name: string): Peer {
  const peer = PEERS.find((p) => p.name === name);
  if (!peer) throw new Error(`unknown peer "${name}"; known: ${PEERS.map((p) => p.name).join(', ')}`);
  return peer;
}
