import type { App } from '@slack/bolt';
import { isPaperLink, linkCard } from '../../commands/paper-card.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { SlackBot } from './command-routes.js';
import { renderReply } from './render-reply.js';

/**
 * `link_shared` for arxiv.org and huggingface.co/papers: each paper's card goes back with
 * `chat.unfurl` (title, authors, date, first sentence, "posted here on"); a paper not stored is
 * looked up on arXiv first. Links still in the message composer are previewed too.
 */
export function registerLinkUnfurls(app: App, deps: { bot: SlackBot; logger: Logger }): void {
  app.event('link_shared', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id ?? 'unknown';
    // Members of another organisation read a Slack Connect channel's unfurls.
    const shared = (body as { is_ext_shared_channel?: boolean }).is_ext_shared_channel === true;
    const here: ChannelRef = { platform: 'slack', workspace: team, channel: event.channel };
    try {
      const ctx = deps.bot.contextFor(
        here,
        { id: event.user, canManageChannel: false },
        'not needed to unfurl',
      );
      const unfurls: Record<string, { blocks: ReturnType<typeof renderReply>['blocks'] }> = {};
      for (const { url } of event.links) {
        if (!isPaperLink(url)) continue;
        // Papers not stored are looked up (once, politely); an unknown or failed one gets no card.
        const found = await linkCard(ctx, here, url, shared);
        if (found.kind === 'card') unfurls[url] = { blocks: renderReply(found.card).blocks };
      }
      if (Object.keys(unfurls).length === 0) return;
      // A link typed in the composer (a preview before posting) has no channel message yet:
      // Slack names it by unfurl_id and source instead (channel "COMPOSER").
      const target =
        event.source === 'composer' && event.unfurl_id
          ? { unfurl_id: event.unfurl_id, source: 'composer' as const }
          : { channel: event.channel, ts: event.message_ts };
      await client.chat.unfurl({ ...target, unfurls });
    } catch (error) {
      deps.logger.error({ err: error, channel: event.channel }, 'Slack unfurl failed');
    }
  });
}
