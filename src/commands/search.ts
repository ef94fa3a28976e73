import type { CommandContext } from './context.js';
import type { ListReply, PageRequest, Reply } from './reply.js';
import { describeRelaxations, quoteQuery } from './search-notes.js';
import type { InputOf } from './spec.js';

/** Papers per page: fits one Discord message of embeds and one screen of terminal. */
export const SEARCH_PAGE_SIZE = 5;

export async function run(input: InputOf<'search'>, ctx: CommandContext): Promise<Reply> {
  const page = input.page ?? 1;
  const result = await ctx.search.search(input.query, {
    page,
    pageSize: SEARCH_PAGE_SIZE,
    since: input.since,
    author: input.author,
  });
  const args: PageRequest['args'] = { query: input.query };
  if (input.since) args.since = input.since;
  if (input.author) args.author = input.author;

  const filters = [
    input.since ? `since ${input.since}` : null,
    input.author ? `by ${input.author}` : null,
  ].filter((f): f is string => f !== null);
  const about = `${quoteQuery(input.query)}${filters.length > 0 ? ` (${filters.join(', ')})` : ''}`;

  const reply: ListReply = {
    kind: 'list',
    title: `Papers matching ${about}`,
    items: result.hits.map((hit) => ({ paper: hit.paper, snippet: hit.snippet })),
    page: result.page,
    pages: result.pages,
    total: result.total,
  };
  if (result.totalCapped) reply.totalCapped = true;
  const note = describeRelaxations(result.relaxations);
  if (note) reply.note = note;
  if (result.page < result.pages) reply.next = { command: 'search', args, page: result.page + 1 };
  if (result.page > 1 && result.pages > 0) {
    reply.prev = { command: 'search', args, page: Math.min(result.page - 1, result.pages) };
  }
  if (result.hits.length === 0) {
    reply.emptyText =
      result.total > 0
        ? `Page ${page} is past the last page (${result.pages}) of ${result.total} results.`
        : `No paper matches ${about}. Try fewer or other words, or drop the filters.`;
  }
  return reply;
}
