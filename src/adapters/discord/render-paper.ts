import type { APIEmbed } from 'discord.js';
import { paperDateText } from '../../commands/paper-view.js';
import type { DetailReply, PaperLine } from '../../commands/reply.js';
import type { Paper } from '../../core/paper.js';
import { escapeMarkdown, fitEscaped, link, renderSnippet, truncateWords } from './render-text.js';

export const COLOR = { paper: 0xf5a623, digest: 0x4a90e2, error: 0xd0021b, info: 0x7f8c8d };

/** The page a paper title links to: arXiv first, then Hugging Face, project, code. */
export function paperUrl(paper: Paper): string | undefined {
  const l = paper.links;
  return l.arxivAbs ?? l.huggingface ?? l.project ?? l.code;
}

/** `Ada Lovelace, Alan Turing, Grace Hopper et al.` (plain text). */
export function authorLine(paper: Paper, shown = 3): string {
  const known = paper.authors.filter((a) => a.trim() !== '');
  const names = known.slice(0, shown);
  const total = Math.max(paper.authorCount ?? 0, known.length);
  if (names.length === 0) return total > 0 ? `${total} authors` : '';
  return total > names.length ? `${names.join(', ')} et al.` : names.join(', ');
}

/** `authors · date · ▲ 12` as markdown; unknown upvotes are left out, never shown as 0. */
export function metaLine(paper: Paper): string {
  const parts = [escapeMarkdown(truncateWords(authorLine(paper), 120))];
  parts.push(paperDateText(paper));
  if (paper.upvotes !== null) parts.push(`▲ ${paper.upvotes}`);
  return parts.filter(Boolean).join(' · ');
}

/**
 * One paper in a list, in at most `max` characters: numbered linked title, meta line,
 * then the snippet (or the why) with what is left.
 */
export function paperBlock(line: PaperLine, n: number, max: number): string {
  const { paper } = line;
  const title = `**${n}.** ${link(paper.title, paperUrl(paper), Math.min(200, Math.max(20, max / 2)))}`;
  const lines = [title];
  const meta = metaLine(paper);
  if (meta && title.length + meta.length + 1 <= max) lines.push(meta);
  let room = max - lines.join('\n').length - 1;
  if (line.why && room > 20) {
    const why = `_${fitEscaped(line.why, Math.min(room - 2, 150))}_`;
    lines.push(why);
    room -= why.length + 1;
  }
  if (line.snippet && room > 30) lines.push(renderSnippet(line.snippet, Math.min(room, 300)));
  const block = lines.join('\n');
  return block.length <= max ? block : title.slice(0, max);
}

/** Blocks for many papers sharing one description budget, with "…and N more" when cut. */
export function paperBlocks(lines: PaperLine[], budget: number, startAt = 1): string {
  if (lines.length === 0) return '';
  const per = Math.floor((budget - 30) / lines.length) - 2;
  const blocks: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const block = paperBlock(line, startAt + i, Math.max(per, 60));
    const more = `…and ${lines.length - i} more`;
    if (used + block.length + 2 > budget - more.length - 2) {
      blocks.push(more);
      break;
    }
    blocks.push(block);
    used += block.length + 2;
  }
  return blocks.join('\n\n');
}

function linksValue(paper: Paper): string {
  const l = paper.links;
  const entries: Array<[string, string | undefined]> = [
    ['arXiv', l.arxivAbs],
    ['PDF', l.arxivPdf],
    ['Hugging Face', l.huggingface],
    ['Code', l.code],
    ['Project', l.project],
  ];
  return entries
    .filter((e): e is [string, string] => Boolean(e[1]))
    .map(([label, url]) => link(label, url))
    .join(' · ');
}

/** `show`: title linking to the paper, abstract (cut with a "Read more" link), facts as fields. */
export function renderDetail(reply: DetailReply): APIEmbed {
  const { paper } = reply;
  const url = paperUrl(paper);
  const readMore = url ? `[Read more](${url})` : '';
  const fields: NonNullable<APIEmbed['fields']> = [];
  const names = paper.authors.filter((a) => a.trim() !== '');
  const total = Math.max(paper.authorCount ?? 0, names.length);
  if (total > 0) {
    const all = names.length > 0 ? names.join(', ') : `${total} authors`;
    fields.push({ name: `Authors (${total})`, value: fitEscaped(all, 1024) });
  }
  fields.push({ name: 'Date', value: paperDateText(paper), inline: true });
  if (paper.upvotes !== null) {
    fields.push({ name: 'Upvotes', value: String(paper.upvotes), inline: true });
  }
  if (paper.comments !== null) {
    fields.push({ name: 'Comments', value: String(paper.comments), inline: true });
  }
  if (paper.arxivId) fields.push({ name: 'arXiv', value: paper.arxivId, inline: true });
  const links = linksValue(paper);
  if (links) fields.push({ name: 'Links', value: links.slice(0, 1024) });
  if (paper.keywords.length > 0) {
    fields.push({ name: 'Keywords', value: fitEscaped(paper.keywords.join(', '), 1024) });
  }
  return {
    title: fitEscaped(paper.title, 256) || 'Untitled paper',
    ...(url ? { url } : {}),
    description: fitEscaped(paper.abstract || 'No abstract.', 3000, readMore),
    color: COLOR.paper,
    fields,
    footer: { text: paper.sample ? `${paper.id} · sample paper` : paper.id },
  };
}
