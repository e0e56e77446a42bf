/**
 * In-process query latency of several systems, measured side by side: every system is loaded in a child process of
 * its own (a `session`), then the passes run interleaved — one pass of each system and answer variant in turn, the
 * order changing each round (passOrder) — so load from other work on a shared machine falls on all systems alike.
 */
import { buildLatencyQueries } from './benchQueries.js';
import { readQueries } from './judgments.js';
import type { BenchOptions } from './options.js';
import { createJiebaTokenizer, readDocsFile } from './peerText.js';
import { summarizeLatency, type LatencySummary } from './stats.js';
import { startSession, type AnswerVariant, type LatencyPlan, type LoadResult } from './tasks.js';
import { ZHSEARCH } from './zhsearchSystem.js';

export interface LatencySubject {
  /** A peer's name or zhsearch. */
  system: string;
  dir: string;
}

/** The latency lists of a run (--quick: 30 queries each; else 100), timed options.passes times, from the peers' docs file. */
export async function latencyPlan(options: BenchOptions, docsFile: string): Promise<LatencyPlan> {
  const titles = (await readDocsFile(docsFile)).map((doc) => ({ title: doc.title, category: doc.category }));
  return {
    latency: buildLatencyQueries(readQueries(options.queries), titles, createJiebaTokenizer(), options.quick ? 30 : 100),
    passes: options.passes,
  };
}

/** The variants a system answers: zhsearch full hits and ids only, a peer its ids. */
function variantsOf(system: string): AnswerVariant[] {
  return system === ZHSEARCH ? ['full', 'ids'] : ['ids'];
}

/**
 * The order of n units' passes in a round: a Williams design, so that over n rounds (2n when n is odd) every unit
 * runs in every position equally often AND right after every other unit equally often. A plain rotation keeps each
 * unit's predecessor fixed (zhsearch's ids pass would always follow its own full pass, FlexSearch always precede it).
 */
export function passOrder(n: number, round: number): number[] {
  // First row 0, 1, n−1, 2, n−2, …; row r adds r to each (mod n); odd n also needs the rows reversed.
  const first = Array.from({ length: n }, (_, k) => (k % 2 === 1 ? (k + 1) / 2 : (n - k / 2) % n));
  const row = first.map((unit) => (unit + round) % n);
  return n % 2 === 1 && Math.floor(round / n) % 2 === 1 ? row.reverse() : row;
}

/**
 * Loads every subject (one after another, so load times do not compete), runs the plan interleaved and returns one
 * LoadResult per subject, in order. `latency` holds zhsearch's full hits or a peer's ids; `idsOnlyLatency` zhsearch's ids;
 * `firstSearch` the warm-up pass, each query asked for the first time in its list (zhsearch's full hits).
 */
export async function measureLatency(subjects: LatencySubject[], plan: LatencyPlan, log: (line: string) => void): Promise<LoadResult[]> {
  const sessions: Awaited<ReturnType<typeof startSession>>[] = [];
  try {
    for (const subject of subjects) {
      log(`  loading ${subject.system} from ${subject.dir}`);
      sessions.push(await startSession({ kind: 'session', system: subject.system, dir: subject.dir }));
    }
    const units = sessions.flatMap((session, i) => variantsOf(subjects[i]!.system).map((variant) => ({ i, variant, session })));
    const samples = units.map(() => new Map<string, number[]>());
    const firstSearches = sessions.map(() => new Map<string, number[]>());
    for (const list of plan.latency) {
      log(`  ${list.name}: ${plan.passes} passes of ${list.queries.length} queries × ${units.length} system answers, interleaved`);
      // One warm-up pass each, left out of the passes' figures; a system's first is each query's first search.
      for (const [u, unit] of units.entries()) {
        const taken = await unit.session.pass({ queries: list.queries, variant: unit.variant });
        if (units.findIndex((other) => other.i === unit.i) === u) firstSearches[unit.i]!.set(list.name, taken);
      }
      for (let round = 0; round < plan.passes; round++) {
        for (const u of passOrder(units.length, round)) {
          const unit = units[u]!;
          const taken = await unit.session.pass({ queries: list.queries, variant: unit.variant });
          const bucket = samples[u]!;
          bucket.set(list.name, [...(bucket.get(list.name) ?? []), ...taken]);
        }
      }
    }
    return sessions.map((session, i) => {
      const summary = (variant: AnswerVariant): Record<string, LatencySummary> => {
        const u = units.findIndex((unit) => unit.i === i && unit.variant === variant);
        return Object.fromEntries(plan.latency.map((list) => [list.name, summarizeLatency(samples[u]!.get(list.name) ?? [])]));
      };
      const firstSearch = Object.fromEntries(plan.latency.map((list) => [list.name, summarizeLatency(firstSearches[i]!.get(list.name) ?? [])]));
      const result: LoadResult = { ...session.load, latency: summary(subjects[i]!.system === ZHSEARCH ? 'full' : 'ids'), firstSearch };
      if (subjects[i]!.system === ZHSEARCH) result.idsOnlyLatency = summary('ids');
      return result;
    });
  } finally {
    for (const session of sessions) await session.stop();
  }
}
