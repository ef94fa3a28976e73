import { type Paper, paperDate } from '../core/paper.js';

/** Facts about a paper every renderer shows the same way; markup is the renderer's job. */

/** "Ada Lovelace, Alan Turing, Grace Hopper and 6 more", "9 authors", or null when unknown. */
export function authorSummary(paper: Paper, shown = 3): string | null {
  const total = Math.max(paper.authorCount ?? 0, paper.authors.length);
  if (paper.authors.length === 0) {
    return total > 0 ? `${total} ${total === 1 ? 'author' : 'authors'}` : null;
  }
  const first = paper.authors.slice(0, shown);
  const more = total - first.length;
  if (more <= 0) {
    return first.length <= 2
      ? first.join(' and ')
      : `${first.slice(0, -1).join(', ')} and ${first.at(-1)}`;
  }
  return `${first.join(', ')} and ${more} more`;
}

/**
 * When the paper was first in a feed, for papers without a publication day: the earlier
 * of the observation time (a feed's own date, e.g. the sample page's day) and the time
 * Paperboy stored it, so a paper loaded today from an older page is not dated today.
 */
export function sightedAt(paper: Pick<Paper, 'observedAt' | 'firstSeenAt'>): string {
  // biome-ignore lint/complexity/useMathMinMax: ISO timestamps are strings; they sort in time order
  return paper.observedAt < paper.firstSeenAt ? paper.observedAt : paper.firstSeenAt;
}

/**
 * The day the paper is dated by: its publication day, else the day a feed first listed it,
 * else null: unknown, never 1970-01-01 nor the day it was imported. The same value `since:`
 * filters on and `latest` sorts by (`paperDate` in core).
 */
export function paperDay(paper: Pick<Paper, 'publishedAt' | 'feedDate'>): string | null {
  return paperDate(paper);
}

/** The date as shown beside a paper: its day, or "date unknown". */
export function paperDateText(paper: Pick<Paper, 'publishedAt' | 'feedDate'>): string {
  return paperDate(paper) ?? 'date unknown';
}

/** "12 upvotes", or null when the count is unknown (unknown is not zero). */
export function upvoteText(paper: Paper): string | null {
  if (paper.upvotes === null) return null;
  return paper.upvotes === 1 ? '1 upvote' : `${paper.upvotes} upvotes`;
}

export interface PaperLink {
  label: string;
  url: string;
}

export function paperLinkList(paper: Paper): PaperLink[] {
  const links: PaperLink[] = [];
  const { arxivAbs, arxivPdf, huggingface, code, project } = paper.links;
  if (arxivAbs) links.push({ label: 'arXiv', url: arxivAbs });
  if (arxivPdf) links.push({ label: 'PDF', url: arxivPdf });
  if (huggingface) links.push({ label: 'Hugging Face', url: huggingface });
  if (code) links.push({ label: 'Code', url: code });
  if (project) links.push({ label: 'Project page', url: project });
  if (paper.links.doi) links.push({ label: 'DOI', url: paper.links.doi });
  return links;
}

/**
 * Shortens text to at most `max` characters: at the last sentence end that keeps most
 * of it, else at a word boundary, with an ellipsis.
 */
export function trimText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '), head.lastIndexOf('! '));
  if (sentence >= max * 0.6) return `${head.slice(0, sentence + 1)} …`;
  const space = head.lastIndexOf(' ');
  return `${(space >= max * 0.6 ? head.slice(0, space) : head).trimEnd()}…`;
}
