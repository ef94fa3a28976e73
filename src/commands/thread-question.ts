import type { ChannelRef } from '../core/store/store.js';
import { answerFor } from './ask.js';
import type { CommandContext } from './context.js';
import { faultReply } from './dispatch.js';
import type { Reply } from './reply.js';
import { COMMAND_NAME, findSubcommand } from './spec.js';
import { validateCall } from './validate.js';

/** A posted message the question may be about: a digest's thread starter, or a replied-to message. */
export interface DigestMessageRef {
  channel: ChannelRef;
  messageId: string;
}

/** How a question that could not be answered (a fault, not "no match") begins. */
export const QUESTION_FAULT_LEAD = "Couldn't answer right now";

/**
 * A question asked of the bot in a thread or as a reply (mentions already stripped): answered
 * about the digest those messages belong to first, then the archive; with no digest, like
 * `/papers ask`. Never throws: a store or search fault is a one-line error reply with its
 * code (and logged), as `runCommand` gives a slash command, never silence.
 */
export async function answerThreadQuestion(
  question: string,
  ctx: CommandContext,
  around: DigestMessageRef[],
): Promise<Reply> {
  try {
    return await threadAnswer(question, ctx, around);
  } catch (error) {
    return faultReply(
      error,
      ctx.logger,
      { channel: ctx.channel.channel },
      'question failed',
      QUESTION_FAULT_LEAD,
    );
  }
}

async function threadAnswer(
  question: string,
  ctx: CommandContext,
  around: DigestMessageRef[],
): Promise<Reply> {
  const text = question.replace(/\s+/g, ' ').trim();
  if (text.length < 3) {
    return {
      kind: 'notice',
      lines: [
        `Ask me a question about these papers, e.g. "which method needs the least data?", or use /${COMMAND_NAME} ask.`,
      ],
    };
  }
  // The same limits as `/papers ask` (a mention may be far longer than its 500 characters).
  const ask = findSubcommand('ask');
  const checked = ask && validateCall(ask, { name: 'ask', options: { question: text } });
  if (checked && !checked.ok) return checked.error;
  let ids: string[] = [];
  for (const ref of around) {
    const found = await ctx.store.digestPaperIdsForMessage(ref.channel, ref.messageId);
    if (found && found.length > 0) {
      ids = found;
      break;
    }
  }
  return answerFor(text, ctx, await ctx.store.getPapers(ids));
}
