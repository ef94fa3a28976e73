import type { App } from '@slack/bolt';
import { answerThreadQuestion } from '../../commands/thread-question.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { SlackBot } from './command-routes.js';
import { renderReply } from './render-reply.js';
import { unescapeSlackText } from './slack-text.js';

export interface MentionDeps {
  bot: SlackBot;
  logger: Logger;
}

/** Questions change nothing, so the asker's manage permission is never checked or named. */
const NOT_CHECKED = 'not needed to ask';

const USER_MENTION = /<@[A-Z0-9]+(?:\|[^>]*)?>/g;

/**
 * `app_mention`: a question to the bot. In a thread (`thread_ts`) it is answered about the
 * digest that thread hangs from first (a Slack message id is its `ts`); anywhere else like
 * `/papers ask`. The answer goes into the thread (or starts one under the question).
 */
export function registerMentionQuestions(app: App, deps: MentionDeps): void {
  app.event('app_mention', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id ?? event.team ?? 'unknown';
    const here: ChannelRef = { platform: 'slack', workspace: team, channel: event.channel };
    try {
      const ctx = deps.bot.contextFor(
        here,
        { id: event.user ?? 'unknown', canManageChannel: false },
        NOT_CHECKED,
      );
      const question = unescapeSlackText(event.text.replace(USER_MENTION, ' '));
      const around = event.thread_ts ? [{ channel: here, messageId: event.thread_ts }] : [];
      const reply = await answerThreadQuestion(question, ctx, around);
      const message = renderReply(reply);
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      deps.logger.error({ err: error, channel: event.channel }, 'Slack question failed');
    }
  });
}
