import type { APIEmbed } from 'discord.js';
import type { DigestReply } from '../../commands/reply.js';
import { COLOR, paperBlocks } from './render-paper.js';
import { escapeMarkdown, fitEscaped } from './render-text.js';

/** What a digest footer says; `findDelivery` reads the delivery id back from it. */
export function deliveryFooter(reply: DigestReply): string {
  const parts = [`Paperboy digest ${reply.date}`];
  if (reply.part) parts.push(`part ${reply.part}`);
  if (reply.deliveryId) parts.push(`delivery ${reply.deliveryId}`);
  return parts.join(' · ');
}

/** Does an embed footer carry this delivery id? */
export function footerHasDelivery(footer: string | undefined, deliveryId: string): boolean {
  if (!footer) return false;
  return footer.split(' · ').some((part) => part === `delivery ${deliveryId}`);
}

const MAX_EMBEDS = 10;
const TOTAL = 6000;

/**
 * A digest as embeds: a header (title, count, delivery id in the footer) then one
 * embed per topic, sharing the 6000-character budget; topics past the tenth embed
 * are folded into the last one.
 */
export function renderDigest(reply: DigestReply): APIEmbed[] {
  const sections = reply.sections.filter((s) => s.items.length > 0);
  const count = sections.reduce((n, s) => n + s.items.length, 0);
  const header: APIEmbed = {
    title: fitEscaped(reply.title, 256),
    description:
      count === 0
        ? fitEscaped(reply.emptyText ?? 'No new papers since the last digest.', 1000)
        : `${count} new paper${count === 1 ? '' : 's'} · ${reply.date}`,
    color: COLOR.digest,
    footer: { text: deliveryFooter(reply) },
  };
  if (count === 0) return [header];

  const groups = sections.slice(0, MAX_EMBEDS - 1).map((s) => ({ ...s, items: [...s.items] }));
  const last = groups.at(-1);
  for (const extra of sections.slice(MAX_EMBEDS - 1)) last?.items.push(...extra.items);

  const headerSize = (header.title?.length ?? 0) + (header.description?.length ?? 0);
  const footerSize = header.footer?.text.length ?? 0;
  const titles = groups.map((g) => fitEscaped(g.topic ?? 'New papers', 256));
  const left = TOTAL - headerSize - footerSize - titles.reduce((n, t) => n + t.length, 0) - 50;
  let number = 1;
  const embeds = groups.map((group, i) => {
    const share = Math.floor((left * group.items.length) / count);
    const description = paperBlocks(group.items, Math.min(4096, share), number);
    number += group.items.length;
    return {
      title: group.topic === null ? 'New papers' : `Topic: ${titles[i] ?? escapeMarkdown('')}`,
      description,
      color: COLOR.digest,
    } satisfies APIEmbed;
  });
  return [header, ...embeds];
}
