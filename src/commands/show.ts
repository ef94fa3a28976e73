import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';

export async function run(input: InputOf<'show'>, ctx: CommandContext): Promise<Reply> {
  const text = input.paper;
  const resolution = await ctx.search.resolve(text);
  if (resolution.kind === 'found') return { kind: 'detail', paper: resolution.paper };
  if (resolution.kind === 'choice') {
    return {
      kind: 'choice',
      prompt: `${resolution.candidates.length} papers match "${text}". Which one?`,
      candidates: resolution.candidates.slice(0, 25),
      command: 'show',
    };
  }
  const quoted = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return {
    kind: 'error',
    code: 'NOT_FOUND',
    message: `No paper matches "${quoted}". Try /${COMMAND_NAME} search ${quoted}`,
  };
}
