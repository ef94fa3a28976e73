import { splitSentences } from '../core/answer/sentences.js';
import { type Paper, parseArxivId } from '../core/paper.js';
import type { ChannelRef, Store } from '../core/store/store.js';
import { authorSummary, paperDay } from './paper-view.js';
import type { NoticeReply } from './reply.js';

const PAPER_LINK =
  /https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|huggingface\.co\/papers)\/[^\s<>|)]+/gi;

/** arXiv and Hugging Face paper links in a message, de-duplicated, in order. */
export function paperLinks(text: string): string[] {
  return [...new Set(text.match(PAPER_LINK) ?? [])];
}

/** Is this URL one Paperboy unfurls (an arXiv abs/pdf page or a Hugging Face paper page)? */
export function isPaperLink(url: string): boolean {
  return paperLinks(url).length === 1 && parseArxivId(url) !== null;
}

// About a year of daily digests per channel: older posts are not worth a card line.
const RUNS_LOOKED_AT = 400;

/** The first day a digest in this workspace carried the paper, or null. */
export function postedInWorkspace(store: Store, here: ChannelRef, paperId: string): string | null {
  let first: string | null = null;
  for (const channel of store.listChannels()) {
    const ref = channel.ref;
    if (ref.platform !== here.platform || ref.workspace !== here.workspace) continue;
    for (const run of store.recentDigestRuns(ref, RUNS_LOOKED_AT)) {
      if (run.state !== 'posted' || !run.paperIds.includes(paperId)) continue;
      if (first === null || run.digestDate < first) first = run.digestDate;
    }
  }
  return first;
}

/**
 * A link's card: title, authors, date, the abstract's first sentence, and "posted here on"
 * when this workspace's digest already carried it. `null` when the paper is not stored.
 */
export function paperCard(store: Store, here: ChannelRef, url: string): NoticeReply | null {
  const id = parseArxivId(url)?.id;
  const paper: Paper | null = id ? store.getPaper(id) : null;
  if (!paper) return null;
  const facts = [authorSummary(paper), paperDay(paper)].filter((f): f is string => f !== null);
  const lines = [facts.join(' · ')];
  const first = splitSentences(paper.abstract)[0];
  if (first) lines.push(first);
  const posted = postedInWorkspace(store, here, paper.id);
  if (posted) lines.push(`Posted here on ${posted}.`);
  return { kind: 'notice', title: paper.title, lines };
}
