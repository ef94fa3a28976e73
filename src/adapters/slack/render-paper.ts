import { paperDateText } from '../../commands/paper-view.js';
import type { PaperLine } from '../../commands/reply.js';
import type { Paper } from '../../core/paper.js';
import { escapeMrkdwn, highlightSnippet, link, safeUrl, truncate } from './mrkdwn.js';

/** Best link for a paper's title: arXiv, then Hugging Face, then anything else. */
export function paperUrl(paper: Paper): string | null {
  const l = paper.links;
  return (
    safeUrl(l.arxivAbs) ??
    safeUrl(l.huggingface) ??
    safeUrl(l.project) ??
    safeUrl(l.arxivPdf) ??
    safeUrl(l.code)
  );
}

export function authorsText(paper: Paper, max = 6): string {
  const names = paper.authors;
  const count = Math.max(paper.authorCount ?? 0, names.length);
  if (names.length === 0) return count > 0 ? `${count} authors` : 'authors unknown';
  const shown = names.slice(0, max).join(', ');
  return count > max ? `${shown} and ${count - max} more` : shown;
}

/** "Chen, Li · 2024-10-09 · ▲ 42" (escaped); unknown upvotes are left out, never 0. */
export function metaLine(paper: Paper): string {
  const parts = [escapeMrkdwn(authorsText(paper))];
  parts.push(paperDateText(paper));
  if (paper.upvotes !== null) parts.push(`▲ ${paper.upvotes}`);
  if (paper.arxivId) parts.push(`arXiv:${paper.arxivId}`);
  return parts.join(' · ');
}

/** One paper in a list or digest: linked title, meta line, snippet or why. */
export function paperLineText(line: PaperLine, index?: number): string {
  const { paper } = line;
  const number = index === undefined ? '' : `${index}. `;
  const rows = [`${number}*${link(paperUrl(paper), paper.title)}*`, metaLine(paper)];
  if (line.snippet?.text) rows.push(`> ${truncate(highlightSnippet(line.snippet), 600)}`);
  if (line.why) rows.push(`_${escapeMrkdwn(line.why)}_`);
  return rows.join('\n');
}

export function linksLine(paper: Paper): string {
  const entries: Array<[string, string | undefined]> = [
    ['arXiv', paper.links.arxivAbs],
    ['PDF', paper.links.arxivPdf],
    ['Hugging Face', paper.links.huggingface],
    ['Code', paper.links.code],
    ['Project', paper.links.project],
  ];
  return entries
    .filter(([, url]) => safeUrl(url))
    .map(([label, url]) => link(url, label))
    .join(' · ');
}
