/** `zhsearch search "查询"`: ranked results in the terminal, or the API's JSON. */
import { createSearchService, embeddedBackend, EngineUnavailableError } from '../../search/index.js';
import type { SearchBackend, SearchRequest, SearchResult, SortOrder } from '../../search/types.js';
import type { ParsedArgs } from '../args.js';
import { engineOf, openEngineBackend } from '../engine-backend.js';
import { CliError, EXIT_OK } from '../errors.js';
import { outputStyleFor, renderSearchResult } from '../format.js';
import { loadIndexAndAnalyzer } from '../load-index.js';
import { corpusDirOf, indexDirOf } from './common.js';

export async function runSearch(args: ParsedArgs): Promise<number> {
  const engine = engineOf(args, 'search');
  const backend = engine ? await openEngineBackend(engine, corpusDirOf(args)) : await embedded(args);
  try {
    return await searchWith(backend, args);
  } finally {
    await backend.close();
  }
}

async function embedded(args: ParsedArgs): Promise<SearchBackend> {
  const { reader, analyzer } = await loadIndexAndAnalyzer(indexDirOf(args), corpusDirOf(args));
  return embeddedBackend(createSearchService(reader, analyzer));
}

async function searchWith(backend: SearchBackend, args: ParsedArgs): Promise<number> {
  const o = args.options;
  const request: SearchRequest = {
    q: args.positionals[0]!,
    page: o.page as number | undefined,
    size: o.size as number | undefined,
    category: o.category as string | undefined,
    tag: o.tag as string | undefined,
    author: o.author as string | undefined,
    from: o.from as string | undefined,
    to: o.to as string | undefined,
    sort: o.sort as SortOrder | undefined,
  };
  let result: SearchResult;
  try {
    result = await backend.search(request);
  } catch (error) {
    if (error instanceof EngineUnavailableError) throw new CliError(error.message);
    throw error;
  }
  if (result.partial) process.stderr.write(`警告：引擎分片 ${result.missing_shards?.join('、')} 没有响应，结果不完整。\n`);
  process.stdout.write(o.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderSearchResult(result, outputStyleFor(process.stdout)));
  return EXIT_OK;
}
