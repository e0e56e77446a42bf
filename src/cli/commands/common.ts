/** Option values every command shares, with their defaults. */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ParsedArgs } from '../args.js';
import { DEFAULT_CORPUS_DIR, DEFAULT_HOST, DEFAULT_INDEX_DIR, DEFAULT_PORT } from '../specs.js';
import { UsageError } from '../errors.js';
import { sitePostsDir, type SiteChoice } from '../../ingest/index.js';
import { readIndexSource } from '../../index/index.js';

export function indexDirOf(args: ParsedArgs): string {
  return path.resolve((args.options.index as string | undefined) ?? DEFAULT_INDEX_DIR);
}

/**
 * `--corpus`, else the posts of `--site DIR` (`DIR/source/_posts`), else the corpus folder the index was built from,
 * else corpus/.
 */
export function corpusDirOf(args: ParsedArgs): string {
  const corpus = args.options.corpus as string | undefined;
  const site = args.options.site as string | undefined;
  if (corpus !== undefined) return path.resolve(corpus);
  if (site !== undefined) return sitePostsDir(path.resolve(site));
  return readIndexSource(indexDirOf(args))?.corpus ?? path.resolve(DEFAULT_CORPUS_DIR);
}

/** `--site`, `--base-url`, `--drafts`, `--include-hidden`: only those given (the index keeps the others). */
export function siteChoiceOf(args: ParsedArgs): SiteChoice {
  const { site, drafts } = args.options;
  return {
    siteDir: site as string | undefined,
    baseUrl: args.options['base-url'] as string | undefined,
    drafts: drafts === true ? true : undefined,
    includeHidden: args.options['include-hidden'] === true ? true : undefined,
  };
}

export function workersOf(args: ParsedArgs): number {
  return (args.options.workers as number | undefined) ?? availableParallelism();
}

export function hostOf(args: ParsedArgs): string {
  return (args.options.host as string | undefined) ?? DEFAULT_HOST;
}

/** `--port`, else the PORT environment variable, else 3000. */
export function portOf(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): number {
  if (args.options.port !== undefined) return args.options.port as number;
  if (env.PORT === undefined || env.PORT === '') return DEFAULT_PORT;
  const port = /^\d+$/.test(env.PORT) ? Number(env.PORT) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`环境变量 PORT 必须是 0 到 65535 之间的整数，收到 "${env.PORT}"`);
  return port;
}
