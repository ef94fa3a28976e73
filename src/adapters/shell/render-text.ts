import { callToText, pageCall } from '../../commands/call-text.js';
import {
  authorSummary,
  paperDateText,
  paperDay,
  paperLinkList,
  trimText,
  upvoteText,
} from '../../commands/paper-view.js';
import type {
  ChoiceReply,
  DetailReply,
  DigestReply,
  ListReply,
  PaperLine,
  Reply,
  StatusReply,
} from '../../commands/reply.js';
import { listCounts, runWarningsText } from '../../commands/reply.js';
import type { Snippet } from '../../core/search/types.js';
import { renderAnswerText } from './render-answer.js';

export interface TextStyle {
  /** ANSI colours (a TTY); plain text otherwise. */
  color: boolean;
  /** Column to wrap long text at. */
  width?: number;
}

interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
  mark(text: string): string;
  error(text: string): string;
}

const ANSI = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const COLOURS: Paint = {
  bold: ANSI('1'),
  dim: ANSI('2'),
  accent: ANSI('36'),
  mark: ANSI('1;33'),
  error: ANSI('1;31'),
};
const same = (text: string) => text;
const PLAIN: Paint = { bold: same, dim: same, accent: same, mark: same, error: same };

/** Terminal control characters in paper text must not reach the terminal. */
function safe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function snippetText(snippet: Snippet, paint: Paint): string {
  let out = '';
  let at = 0;
  const ranges = [...snippet.highlights].sort((a, b) => a.start - b.start);
  for (const range of ranges) {
    if (range.start < at || range.end > snippet.text.length) continue;
    out += safe(snippet.text.slice(at, range.start));
    out += paint.mark(safe(snippet.text.slice(range.start, range.end)));
    at = range.end;
  }
  return out + safe(snippet.text.slice(at));
}

function metaLine(line: PaperLine['paper']): string {
  const parts = [authorSummary(line), paperDateText(line), upvoteText(line)];
  if (line.arxivId) parts.push(`arXiv ${line.arxivId}`);
  return parts
    .filter((p): p is string => p !== null)
    .map(safe)
    .join(' · ');
}

function paperLines(items: PaperLine[], paint: Paint, width: number): string[] {
  return items.flatMap((item, i) => {
    const lines = [`${i + 1}. ${paint.bold(safe(item.paper.title))}`];
    lines.push(`   ${paint.dim(metaLine(item.paper))}`);
    if (item.why) lines.push(`   ${paint.accent(safe(item.why))}`);
    if (item.snippet?.text) {
      // Wrap plain first, then paint: ANSI codes must not count towards the width.
      const wrapped = wrap(safe(item.snippet.text), width, '   ');
      lines.push(paint === PLAIN ? wrapped : `   ${snippetText(item.snippet, paint)}`);
    }
    return lines;
  });
}

function renderList(reply: ListReply, paint: Paint, width: number): string {
  const counts = listCounts(reply);
  const pageInfo =
    reply.pages > 1 ? ` (page ${reply.page} of ${counts.pages}, ${counts.total} in all)` : '';
  const lines = [paint.bold(safe(reply.title)) + pageInfo];
  if (reply.note) lines.push(paint.dim(safe(reply.note)));
  if (reply.items.length === 0) {
    lines.push(safe(reply.emptyText ?? 'Nothing to show.'));
  } else {
    lines.push(...paperLines(reply.items, paint, width));
  }
  const paging = [
    reply.prev ? `previous: ${callToText(pageCall(reply.prev))}` : null,
    reply.next ? `next: ${callToText(pageCall(reply.next))}` : null,
  ].filter((p): p is string => p !== null);
  if (paging.length > 0) lines.push(paint.dim(paging.join('  |  ')));
  return lines.join('\n');
}

const LABEL_WIDTH = 'Project page: '.length;

function renderDetail(reply: DetailReply, paint: Paint, width: number): string {
  const paper = reply.paper;
  const facts: Array<[string, string | null]> = [
    ['Authors', authorSummary(paper, 5)],
    ['Date', paperDateText(paper)],
    ['Upvotes', paper.upvotes === null ? null : String(paper.upvotes)],
    ['arXiv id', paper.arxivId],
  ];
  const lines = [paint.bold(safe(paper.title))];
  for (const [label, value] of facts) {
    if (value !== null) lines.push(`${paint.dim(`${label}:`.padEnd(LABEL_WIDTH))}${safe(value)}`);
  }
  for (const link of paperLinkList(paper)) {
    lines.push(`${paint.dim(`${link.label}:`.padEnd(LABEL_WIDTH))}${paint.accent(safe(link.url))}`);
  }
  if (paper.abstract) lines.push('', wrap(safe(trimText(paper.abstract, 4000)), width, ''));
  return lines.join('\n');
}

function renderChoice(reply: ChoiceReply, paint: Paint): string {
  const lines = [paint.bold(safe(reply.prompt))];
  reply.candidates.forEach((paper, i) => {
    const target = paper.arxivId ?? `"${paper.title.replace(/"/g, '')}"`;
    const day = paperDay(paper);
    lines.push(`${i + 1}. ${safe(paper.title)}${day ? ` ${paint.dim(`(${day})`)}` : ''}`);
    lines.push(`   ${paint.accent(safe(`${reply.command} ${target}`))}`);
  });
  return lines.join('\n');
}

function renderDigest(reply: DigestReply, paint: Paint, width: number): string {
  const part = reply.part ? ` (part ${reply.part})` : '';
  const lines = [`${paint.bold(safe(reply.title))}${part}`, paint.dim(reply.date)];
  if (reply.sections.every((s) => s.items.length === 0)) {
    lines.push(safe(reply.emptyText ?? 'Nothing new.'));
  }
  for (const section of reply.sections) {
    if (section.items.length === 0) continue;
    lines.push('', paint.bold(safe(section.topic ?? 'New papers')));
    lines.push(...paperLines(section.items, paint, width));
  }
  if (reply.deliveryId) lines.push(paint.dim(`delivery ${reply.deliveryId}`));
  return lines.join('\n');
}

function renderStatus(reply: StatusReply, paint: Paint): string {
  const lines = [
    paint.bold('Status'),
    `Papers stored: ${reply.papers}`,
    `Channels: ${reply.channels}`,
  ];
  for (const source of reply.sources) {
    const state = source.enabled
      ? `last success ${source.lastSuccessAt ?? 'never'}${runWarningsText(source)}`
      : 'disabled';
    lines.push(`Source ${safe(source.name)}: ${state}`);
    if (source.warning) lines.push(`  ${paint.error('!')} ${safe(source.warning)}`);
  }
  for (const next of reply.nextDigests)
    lines.push(`Next digest ${safe(next.channel)}: ${safe(next.local)}`);
  for (const warning of reply.warnings) lines.push(`${paint.error('!')} ${safe(warning)}`);
  return lines.join('\n');
}

/** Reply → terminal text. Pure: the same reply and style always give the same text. */
export function renderText(reply: Reply, style: TextStyle): string {
  const paint = style.color ? COLOURS : PLAIN;
  const width = style.width ?? 80;
  switch (reply.kind) {
    case 'list':
      return renderList(reply, paint, width);
    case 'detail':
      return renderDetail(reply, paint, width);
    case 'choice':
      return renderChoice(reply, paint);
    case 'digest':
      return renderDigest(reply, paint, width);
    case 'status':
      return renderStatus(reply, paint);
    case 'notice':
      return [reply.title ? paint.bold(safe(reply.title)) : null, ...reply.lines.map(safe)]
        .filter((l): l is string => l !== null)
        .join('\n');
    case 'answer':
      return renderAnswerText(reply, paint, safe, (text) => wrap(text, width, ''));
    case 'error': {
      const lines = [`${paint.error('Error:')} ${safe(reply.message)}`];
      if (reply.usage) lines.push(`${paint.dim('Usage:')} ${safe(reply.usage)}`);
      return lines.join('\n');
    }
  }
}
