import type { CommandContext } from './context.js';
import type { ListReply, Reply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';

/** Neighbours shown: one screen, one Discord embed. */
export const SIMILAR_COUNT = 5;

export async function run(input: InputOf<'similar'>, ctx: CommandContext): Promise<Reply> {
  const resolution = await ctx.search.resolve(input.paper);
  if (resolution.kind === 'choice') {
    return {
      kind: 'choice',
      prompt: `${resolution.candidates.length} papers match "${input.paper}". Which one?`,
      candidates: resolution.candidates.slice(0, 25),
      command: 'similar',
    };
  }
  if (resolution.kind === 'none') {
    const quoted = input.paper.length > 80 ? `${input.paper.slice(0, 80)}…` : input.paper;
    return {
      kind: 'error',
      code: 'NOT_FOUND',
      message: `No paper matches "${quoted}". Try /${COMMAND_NAME} search ${quoted}`,
    };
  }
  const paper = resolution.paper;
  if (!ctx.similar)
    return {
      kind: 'notice',
      lines: [
        "Similar papers are found from the SQLite archive's term statistics; this bot runs on PostgreSQL, where they are not available yet.",
      ],
      ephemeral: true,
    };
  const neighbours = ctx.similar.similar(paper, SIMILAR_COUNT);
  const reply: ListReply = {
    kind: 'list',
    title: `Papers like "${paper.title}"`,
    items: neighbours.map((n) => ({ paper: n.paper, why: `Shares: ${n.shared.join(', ')}` })),
    page: 1,
    pages: neighbours.length > 0 ? 1 : 0,
    total: neighbours.length,
  };
  if (neighbours.length === 0) {
    reply.emptyText = 'No stored paper shares enough of its terms to count as close.';
  }
  return reply;
}
