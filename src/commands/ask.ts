import { answerQuestion } from '../core/answer/answer.js';
import { type Paper, parseArxivId } from '../core/paper.js';
import { answerReply } from './answer-reply.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { run as showPaper } from './show.js';
import type { InputOf } from './spec.js';

/**
 * Answers from the stored papers; `preferred` (a digest's papers, in its thread) are read
 * first. A configured model writes the answer from the abstracts; otherwise, or when it
 * fails, the best abstract sentences are quoted.
 */
export async function answerFor(
  question: string,
  ctx: CommandContext,
  preferred: Paper[] = [],
): Promise<Reply> {
  const answer = await answerQuestion(
    question,
    {
      search: ctx.search,
      logger: ctx.logger,
      model: ctx.config.llm,
      fetch: ctx.fetch,
      timeoutSignal: ctx.timeoutSignal,
      // PostgreSQL has no FTS5 term statistics: every question word is used to retrieve.
      commonWords: (words) => ctx.similar?.commonWords(words) ?? new Set<string>(),
    },
    preferred,
  );
  return answerReply(answer, ctx.config.llm?.model ?? null);
}

export async function run(input: InputOf<'ask'>, ctx: CommandContext): Promise<Reply> {
  // A bare arXiv id or link ("ask 2410.14735") asks for that paper: shown as `show` would.
  const bare = input.question.trim().replace(/[?!.]+$/, '');
  if (parseArxivId(bare)) return showPaper({ paper: bare }, ctx);
  return answerFor(input.question, ctx);
}
