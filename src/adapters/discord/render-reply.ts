import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { paperDay } from '../../commands/paper-view.js';
import type {
  ChoiceReply,
  ErrorReply,
  ListReply,
  NoticeReply,
  PageRequest,
  Reply,
  StatusReply,
} from '../../commands/reply.js';
import { listCounts, runWarningsText } from '../../commands/reply.js';
import { choiceCustomId } from './paging.js';
import { renderAnswer } from './render-answer.js';
import { renderDigest } from './render-digest.js';
import { authorLine, COLOR, paperBlocks, paperUrl, renderDetail } from './render-paper.js';
import { escapeMarkdown, fitEscaped, fitMarkdown, link, truncateWords } from './render-text.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A Discord message body, before the adapter adds nonce and flags. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  /** Shown only to the user who asked. */
  ephemeral: boolean;
  /** Paper text can never ping: no @everyone, no roles, no users. */
  allowed_mentions: { parse: [] };
}

export interface RenderOptions {
  /** The custom_id of a paging button (inline, or a short key kept in the store). */
  pageId(request: PageRequest): string;
}

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
};

function renderList(reply: ListReply, options: RenderOptions): DiscordMessage {
  const counts = listCounts({ ...reply, pages: Math.max(reply.pages, 1) });
  const pageSize = Math.ceil(reply.total / Math.max(reply.pages, 1)) || reply.items.length;
  const start = (reply.page - 1) * pageSize + 1;
  const note = reply.note ? `*${fitEscaped(reply.note, 400)}*\n\n` : '';
  const description =
    note +
    (reply.items.length === 0
      ? fitEscaped(reply.emptyText ?? 'Nothing found.', 1000)
      : paperBlocks(reply.items, 3900 - note.length, start));
  const buttons: ActionRow['components'] = [];
  if (reply.prev) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: '◀ Previous',
      custom_id: options.pageId(reply.prev),
    });
  }
  if (reply.next) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: 'Next ▶',
      custom_id: options.pageId(reply.next),
    });
  }
  return message(
    [
      {
        title: fitEscaped(reply.title, LIMITS.title),
        description,
        color: COLOR.paper,
        footer: {
          text: `Page ${reply.page}/${counts.pages} · ${counts.total} paper${counts.total === '1' ? '' : 's'}`,
        },
      },
    ],
    buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
  );
}

function renderChoice(reply: ChoiceReply): DiscordMessage {
  const candidates = reply.candidates.slice(0, 25);
  const lines = candidates.map(
    (paper, i) =>
      `**${i + 1}.** ${link(paper.title, paperUrl(paper), 150)} · ${escapeMarkdown(truncateWords(authorLine(paper, 2), 60))}`,
  );
  return message(
    [
      {
        title: fitEscaped(reply.prompt, LIMITS.title),
        description: fitMarkdown(lines.join('\n'), LIMITS.description),
        color: COLOR.info,
      },
    ],
    [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: choiceCustomId(reply.command),
            placeholder: 'Choose a paper',
            options: candidates.map((paper) => ({
              label: truncateWords(paper.title, 100) || paper.id,
              value: paper.id,
              description:
                truncateWords(
                  [authorLine(paper, 2), paperDay(paper)].filter(Boolean).join(' · '),
                  100,
                ) || undefined,
            })),
          },
        ],
      },
    ],
  );
}

function renderStatus(reply: StatusReply): DiscordMessage {
  const fields: NonNullable<APIEmbed['fields']> = [
    { name: 'Papers', value: String(reply.papers), inline: true },
    { name: 'Channels', value: String(reply.channels), inline: true },
  ];
  for (const source of reply.sources.slice(0, 15)) {
    const state = source.enabled ? 'enabled' : 'disabled';
    const lines = [
      `${state} · last success ${source.lastSuccessAt ?? 'never'}${runWarningsText(source)}`,
      source.warning ? `⚠ ${escapeMarkdown(source.warning)}` : '',
    ];
    fields.push({
      name: fitEscaped(source.name, LIMITS.fieldName),
      value: fitMarkdown(lines.filter(Boolean).join('\n'), LIMITS.fieldValue),
    });
  }
  if (reply.nextDigests.length > 0) {
    const lines = reply.nextDigests.map(
      (d) => `${escapeMarkdown(d.channel)}: ${escapeMarkdown(d.local)}`,
    );
    fields.push({ name: 'Next digests', value: fitMarkdown(lines.join('\n'), LIMITS.fieldValue) });
  }
  if (reply.warnings.length > 0) {
    const lines = reply.warnings.map((w) => `⚠ ${escapeMarkdown(w)}`);
    fields.push({ name: 'Warnings', value: fitMarkdown(lines.join('\n'), LIMITS.fieldValue) });
  }
  return message([{ title: 'Paperboy status', color: COLOR.info, fields }]);
}

function renderNotice(reply: NoticeReply): DiscordMessage {
  const description = fitMarkdown(reply.lines.map(escapeMarkdown).join('\n'), LIMITS.description);
  const embed: APIEmbed = { color: COLOR.info };
  if (reply.title) embed.title = fitEscaped(reply.title, LIMITS.title);
  if (description) embed.description = description;
  return { ...message([embed]), ephemeral: reply.ephemeral === true };
}

function renderError(reply: ErrorReply): DiscordMessage {
  const embed: APIEmbed = {
    title: 'Could not do that',
    description: fitEscaped(reply.message, 3000),
    color: COLOR.error,
  };
  if (reply.usage)
    embed.fields = [{ name: 'Usage', value: `\`${reply.usage.replace(/`/g, "'")}\`` }];
  return { ...message([embed]), ephemeral: true };
}

function message(embeds: APIEmbed[], components: ActionRow[] = []): DiscordMessage {
  return { embeds, components, ephemeral: false, allowed_mentions: { parse: [] } };
}

/** Total characters Discord counts against the 6000 limit of one message. */
export function embedsLength(embeds: APIEmbed[]): number {
  return embeds.reduce(
    (n, e) =>
      n +
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.author?.name.length ?? 0) +
      (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
}

/** Last line of defence: whatever a renderer produced, the message fits every limit. */
export function fitLimits(msg: DiscordMessage): DiscordMessage {
  const embeds = msg.embeds.slice(0, LIMITS.embeds).map(({ title, description, ...e }) => ({
    ...e,
    // Discord rejects empty strings: an empty title or description is left out.
    ...(title ? { title: fitMarkdown(title, LIMITS.title) } : {}),
    ...(description ? { description: fitMarkdown(description, LIMITS.description) } : {}),
    ...(e.footer
      ? { footer: { ...e.footer, text: fitMarkdown(e.footer.text, LIMITS.footer) } }
      : {}),
    ...(e.fields
      ? {
          fields: e.fields.slice(0, LIMITS.fields).map((f) => ({
            ...f,
            name: fitMarkdown(f.name, LIMITS.fieldName) || '—',
            value: fitMarkdown(f.value, LIMITS.fieldValue) || '—',
          })),
        }
      : {}),
  }));
  let over = embedsLength(embeds) - LIMITS.total;
  while (over > 0) {
    const longest = embeds.reduce((a, b) =>
      (b.description?.length ?? 0) > (a.description?.length ?? 0) ? b : a,
    );
    const length = longest.description?.length ?? 0;
    if (length <= 1) break;
    longest.description = fitMarkdown(longest.description ?? '', Math.max(1, length - over));
    over = embedsLength(embeds) - LIMITS.total;
  }
  const out: DiscordMessage = { ...msg, embeds };
  if (msg.content !== undefined) out.content = fitMarkdown(msg.content, LIMITS.content);
  return out;
}

/** Reply → Discord message: pure, within every Discord limit. */
export function renderReply(reply: Reply, options: RenderOptions): DiscordMessage {
  switch (reply.kind) {
    case 'list':
      return fitLimits(renderList(reply, options));
    case 'detail':
      return fitLimits(message([renderDetail(reply)]));
    case 'choice':
      return fitLimits(renderChoice(reply));
    case 'digest':
      return fitLimits(message(renderDigest(reply)));
    case 'status':
      return fitLimits(renderStatus(reply));
    case 'notice':
      return fitLimits(renderNotice(reply));
    case 'error':
      return fitLimits(renderError(reply));
    case 'answer':
      return fitLimits(message([renderAnswer(reply)]));
  }
}
