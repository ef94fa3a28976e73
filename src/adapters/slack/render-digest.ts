import type { DigestReply } from '../../commands/reply.js';
import { context, type KnownBlock, packSections, type SlackMessage, section } from './blocks.js';
import { escapeMrkdwn, LIMITS, truncate } from './mrkdwn.js';
import { paperLineText } from './render-paper.js';

/** Slack message metadata that lets a restarted bot find a digest it already posted. */
export const DIGEST_EVENT_TYPE = 'paperboy_digest';

export interface DigestMetadata {
  event_type: typeof DIGEST_EVENT_TYPE;
  /**
   * A thread parent also says how many replies its thread holds (`replies`), and each reply
   * carries its number (`reply`, 1-based): a crash mid-thread is completed, never re-posted.
   */
  event_payload: { delivery_id: string; replies?: number; reply?: number };
}

export function digestMetadata(
  deliveryId: string,
  thread: { replies: number } | { reply: number } | Record<string, never> = {},
): DigestMetadata {
  return { event_type: DIGEST_EVENT_TYPE, event_payload: { delivery_id: deliveryId, ...thread } };
}

function heading(reply: DigestReply): string {
  const part = reply.part && reply.part > 1 ? ` (part ${reply.part})` : '';
  return `*${escapeMrkdwn(reply.title)}*${part} · ${reply.date}`;
}

function sectionTexts(section: DigestReply['sections'][number]): string[] {
  const lines = section.items.map((line) => paperLineText(line));
  if (section.topic === null) return lines;
  return [`*${escapeMrkdwn(section.topic)}*`, ...lines];
}

function countOf(reply: DigestReply): number {
  return reply.sections.reduce((n, s) => n + s.items.length, 0);
}

function fallback(reply: DigestReply): string {
  const n = countOf(reply);
  const text =
    n === 0
      ? `${reply.title}: ${reply.emptyText ?? 'no new papers'}`
      : `${reply.title}: ${n} new paper${n === 1 ? '' : 's'}`;
  return truncate(escapeMrkdwn(text), LIMITS.fallbackText);
}

/** The whole digest as one message. */
export function renderDigest(reply: DigestReply): SlackMessage {
  const blocks: KnownBlock[] = [section(heading(reply))];
  const texts = reply.sections.flatMap(sectionTexts);
  if (texts.length === 0)
    blocks.push(section(escapeMrkdwn(reply.emptyText ?? 'No new papers today.')));
  else blocks.push(...packSections(texts, LIMITS.blocks - 2));
  blocks.push(context(`${countOf(reply)} papers · Paperboy digest`));
  return { text: fallback(reply), blocks };
}

/** Thread form: a short parent, then one message per topic section in its thread. */
export function renderDigestThread(reply: DigestReply): {
  parent: SlackMessage;
  replies: SlackMessage[];
} {
  const summary = reply.sections
    .filter((s) => s.items.length > 0)
    .map((s) => `• ${s.topic === null ? 'New papers' : escapeMrkdwn(s.topic)}: ${s.items.length}`);
  const parentBlocks: KnownBlock[] = [section(heading(reply))];
  parentBlocks.push(
    section(
      summary.length > 0
        ? summary.join('\n')
        : escapeMrkdwn(reply.emptyText ?? 'No new papers today.'),
    ),
  );
  parentBlocks.push(context('Papers in the thread below'));
  const replies = reply.sections
    .filter((s) => s.items.length > 0)
    .map((s) => {
      const texts = sectionTexts(s);
      const label = s.topic === null ? 'New papers' : s.topic;
      return {
        text: truncate(
          escapeMrkdwn(`${label}: ${s.items.map((i) => i.paper.title).join('; ')}`),
          LIMITS.fallbackText,
        ),
        blocks: packSections(texts, LIMITS.blocks),
      };
    });
  return { parent: { text: fallback(reply), blocks: parentBlocks }, replies };
}
