/** `zhsearch search "查询"`: ranked results in the terminal, or the API's JSON. */
import { createSearchService, embeddedBackend } from '../../search/index.js';
import type { SearchRequest, SortOrder } from '../../search/types.js';
import type { ParsedArgs } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { outputStyleFor, renderSearchResult } from '../format.js';
import { analyzerFor, loadIndex } from '../load-index.js';
import { corpusDirOf, indexDirOf } from './common.js';

export async function runSearch(args: ParsedArgs): Promise<number> {
  const reader = await loadIndex(indexDirOf(args));
  const backend = embeddedBackend(createSearchService(reader, await analyzerFor(reader, corpusDirOf(args))));
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
  const result = await backend.search(request);
  process.stdout.write(o.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderSearchResult(result, outputStyleFor(process.stdout)));
  return EXIT_OK;
}
