/** startServer: open the index, serve it on 127.0.0.1, and hot-reload new generations written by `reindex`. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { describeAnalyzer } from '../analysis/index.js';
import type { Analyzer, SegmenterName } from '../analysis/types.js';
import { IndexLoadError, openIndexWith, readCurrentGeneration, rebuildCommand, registerServer, type IndexManifest } from '../index/index.js';
import {
  analyzerForIndex,
  AnalyzerMismatchError,
  createSearchService,
  embeddedBackend,
  loadSearchService,
  type AnalyzerCache,
  type SearchBackend,
  type SearchService,
} from '../search/index.js';
import { createApp, type App } from './app.js';
import { GenerationWatcher, type GenerationStatus, type Loaded } from './reload.js';
import { answerClientErrors } from './client-error.js';
import { startProcesses } from './processes.js';
import { normalizeBasePath, normalizeOrigin, securityHeaders } from './site-options.js';
import { scavengeWhileIdle } from './idle-scavenges.js';

/**
 * Shortest stretch a reload keeps the event loop (ms; under load a slice lasts twice as long as the requests let
 * through before it, see runInSlices). Longer slices switch sooner, shorter ones delay each request less.
 */
const RELOAD_SLICE_MS = 50;

export interface ServerOptions {
  indexDir: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (local only). */
  host?: string;
  /** Segmenter to query with; default: the one recorded in the index manifest. Must match the index. */
  segmenter?: SegmenterName;
  /** jieba user dictionary the index was built with (e.g. `<corpus>/dict.txt`); default: the analysis default. */
  userDictPath?: string;
  /** Request and reload log lines; default: stdout. */
  log?: (line: string) => void;
  /** How often CURRENT is polled besides fs.watch (ms, default 500). */
  pollMs?: number;
  /** Path prefix of page, assets and API behind a reverse proxy, e.g. `/search/`; default `/`. */
  basePath?: string;
  /** Origins whose pages may call the API (CORS), e.g. `https://blog.example.com`; default none. */
  corsOrigins?: readonly string[];
  /** Origins that may frame the pages; default none. */
  frameAncestors?: readonly string[];
  /** Serve this backend (e.g. a SphinxQL engine) instead of the index in indexDir; closed with the server. */
  backend?: SearchBackend;
  /** Processes answering on the port, each with its own copy of the index (see processes.ts); default 1, this one. */
  processes?: number;
  /** Called with each generation switched to. */
  onGeneration?: (generation: string) => void;
}

export interface RunningServer {
  /** `http://host:port`, without the base path. */
  url: string;
  /** The search page: url + base path (`http://host:port/search/`). */
  pageUrl: string;
  /** The generation being served now. */
  generation(): string;
  /** Checks CURRENT now instead of waiting for the next poll; resolves once a new generation is live (or failed). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Checked before the index loads: a typo in an origin fails at once, naming the option.
  const basePath = normalizeBasePath(options.basePath ?? '/', 'basePath');
  const corsOrigins = (options.corsOrigins ?? []).map((origin) => normalizeOrigin(origin, 'corsOrigins'));
  const frameAncestors = (options.frameAncestors ?? []).map((origin) => normalizeOrigin(origin, 'frameAncestors'));
  const processes = options.processes ?? 1;
  scavengeWhileIdle();
  if (processes > 1) {
    // A backend object cannot cross to another process; an engine does the searching in its own anyway.
    if (options.backend) throw new Error('processes > 1 serves an index, not a backend');
    const { indexDir, port, host, segmenter, userDictPath, pollMs } = options;
    return startProcesses({ indexDir, port, host, segmenter, userDictPath, pollMs, basePath, corsOrigins, frameAncestors }, processes, log);
  }
  const served = options.backend ? await fixedBackend(options.backend) : await indexGenerations(options, log);
  const app = createApp({ getBackend: served.current, generationStatus: served.status, log, basePath, corsOrigins, frameAncestors });
  let server: Server;
  try {
    server = await listen(app, options.port ?? 3000, options.host ?? '127.0.0.1');
  } catch (error) {
    await served.close();
    throw error;
  }
  answerClientErrors(server, securityHeaders(frameAncestors));
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  log(`zhsearch: serving ${served.current().kind} ${served.generation()} (${(await served.current().stats()).articles} articles) at ${url}${basePath}`);
  return {
    url,
    pageUrl: url + basePath,
    generation: served.generation,
    reload: served.reload,
    close: async () => {
      await served.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
    },
  };
}

/** What the server answers with: the backend now, its generation, how to switch to a new one, how to release it. */
interface Served {
  current: () => SearchBackend;
  generation: () => string;
  reload: () => Promise<void>;
  /** Generations for /healthz (an index's: live, newest on disk, loading, failed). */
  status?: () => GenerationStatus;
  close: () => Promise<void>;
}

/** The index's live generation, switched when `reindex` writes a new one. */
async function indexGenerations(options: ServerOptions, log: (line: string) => void): Promise<Served> {
  const analyzers: AnalyzerCache = new Map();
  // What is behind each loaded backend: a new generation's suggestions come from the live one until built.
  const loaded = new WeakMap<SearchBackend, SearchService>();
  // A reload runs between requests: files read, checked and inflated in a worker thread, decoding and set-up in
  // slices of RELOAD_SLICE_MS or longer.
  const load = async (sliced: boolean): Promise<Loaded<SearchBackend>> => {
    const live = sliced ? loaded.get(watcher.current.value) : undefined;
    // The analyzer (its dictionary loaded when not cached yet) is made while the files are read.
    const analyzerOf = (manifest: IndexManifest): Analyzer => {
      try {
        return analyzerForIndex(manifest.analyzer, { segmenter: options.segmenter, userDictPath: options.userDictPath }, analyzers);
      } catch (error) {
        if (!(error instanceof AnalyzerMismatchError)) throw error;
        // A plain reindex of the index's own corpus notices the new dictionary or segmenter and rebuilds in full.
        throw new IndexLoadError(
          `索引 ${options.indexDir} 的版本 ${manifest.generation} 由分析器 ${describeAnalyzer(error.built)} 建立，` +
            `服务进程的分析器是 ${describeAnalyzer(error.current)}：请运行 ${rebuildCommand(options.indexDir, manifest.source)}`,
        );
      }
    };
    const { reader, prepared: analyzer } = await openIndexWith(options.indexDir, analyzerOf, sliced ? { sliceMs: RELOAD_SLICE_MS } : {});
    const service = sliced
      ? await loadSearchService(reader, analyzer, { sliceMs: RELOAD_SLICE_MS, previous: live })
      : createSearchService(reader, analyzer);
    const backend = embeddedBackend(service);
    loaded.set(backend, service);
    return { generation: reader.manifest.generation, value: backend };
  };
  const watcher = new GenerationWatcher<SearchBackend>({
    watchDir: options.indexDir,
    readGeneration: async () => readCurrentGeneration(options.indexDir) ?? undefined,
    load: () => load(true),
    initial: await load(false),
    pollMs: options.pollMs,
    log,
    onSwap: options.onGeneration && ((loaded) => options.onGeneration!(loaded.generation)),
  });
  const unregister = await registerServer(options.indexDir);
  return {
    current: () => watcher.current.value,
    generation: () => watcher.current.generation,
    reload: () => watcher.check(),
    status: () => {
      let newest: string | null;
      try {
        newest = readCurrentGeneration(options.indexDir);
      } catch {
        newest = null;
      }
      return watcher.status(newest);
    },
    close: async () => {
      watcher.close();
      await unregister();
    },
  };
}

/** A backend that is not an index generation (an engine keeps itself current): nothing to watch or reload. */
async function fixedBackend(backend: SearchBackend): Promise<Served> {
  const { generation } = await backend.stats();
  return { current: () => backend, generation: () => generation, reload: async () => {}, close: () => backend.close() };
}

function listen(app: App, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
