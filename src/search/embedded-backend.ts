/** The embedded index as a SearchBackend: the in-process service, answered at once. */
import type { SearchBackend, SearchService } from './types.js';

export function embeddedBackend(service: SearchService): SearchBackend {
  return {
    kind: 'embedded',
    search: async (request) => service.search(request),
    suggest: async (prefix, limit) => service.suggest(prefix, limit),
    article: async (id) => service.article(id),
    related: async (id, limit) => service.related(id, limit),
    topics: async (limit, filter) => service.topics(limit, filter),
    stats: async () => service.stats(),
    close: async () => {},
  };
}
