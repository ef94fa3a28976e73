import type { PaperSearch, SyncPaperSearch } from '../search/types.js';

/**
 * The SQLite search behind the asynchronous PaperSearch the commands use (the PostgreSQL
 * one answers asynchronously by nature). A fault still surfaces as a rejected promise.
 */
export function asyncSearch(search: SyncPaperSearch): PaperSearch {
  const wrapped: PaperSearch = {
    search: async (query, options) => search.search(query, options),
    resolve: async (text) => search.resolve(text),
    suggest: async (prefix, limit) => search.suggest(prefix, limit),
    matchTopic: async (topic, ids) => search.matchTopic(topic, ids),
    countTopicMatches: async (topic, since) => search.countTopicMatches(topic, since),
    refresh: () => search.refresh(),
    close: () => search.close(),
  };
  if (search.setLiveIndexing) wrapped.setLiveIndexing = (on) => search.setLiveIndexing?.(on);
  return wrapped;
}
