import { faultReply } from '../../commands/dispatch.js';
import type { Reply } from '../../commands/reply.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import { PendingState } from '../../core/store/pending-state.js';
import { pageCustomId } from './paging.js';
import { type DiscordMessage, renderReply } from './render-reply.js';

export interface InteractionMessageDeps {
  bot: { store: AsyncStore };
  clock: Clock;
  logger: Logger;
}

/** Renders a reply, parking paging requests too long for a button before the message goes out. */
async function render(deps: InteractionMessageDeps, reply: Reply): Promise<DiscordMessage> {
  const pending = new PendingState(deps.bot.store, () => deps.clock.now());
  const message = renderReply(reply, { pageId: (r) => pageCustomId(r, pending) });
  await pending.save();
  return message;
}

/**
 * The message answering an interaction: the work's reply, or, when the work or parking a
 * paging button fails (a store fault after the defer), the fault's specific error reply and
 * a log line with the cause. Never throws, so a deferred interaction is always answered.
 */
export async function interactionMessage(
  deps: InteractionMessageDeps,
  work: () => Promise<Reply>,
  interactionId: string,
): Promise<DiscordMessage> {
  try {
    return await render(deps, await work());
  } catch (error) {
    const fault = faultReply(
      error,
      deps.logger,
      { interaction: interactionId },
      'Discord interaction failed',
    );
    // An error reply carries no buttons: nothing to park, no store work.
    return render(deps, fault);
  }
}
