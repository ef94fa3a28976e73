import { splitSentences } from '../core/answer/sentences.js';
import { type Paper, parseArxivId } from '../core/paper.js';
import type { AsyncStore } from '../core/store/async-store.js';
import type { ChannelRef } from '../core/store/store.js';
import type { CommandContext } from './context.js';
import { authorSummary, paperDay, trimText } from './paper-view.js';
import type { NoticeReply } from './reply.js';
import { seesOnlyItself, visibleFrom } from './tenant.js';

const PAPER_LINK =
  /https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|huggingface\.co\/papers)\/[^\s<>|()[\]]+/gi;
/** Sentence punctuation right after a link ("see …/abs/2501.00001, it is neat") is not the link's. */
const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/;

/** arXiv and Hugging Face paper links in a message, de-duplicated, in order. */
export function paperLinks(text: string): string[] {
  const links = (text.match(PAPER_LINK) ?? []).map((l) => l.replace(TRAILING_PUNCTUATION, ''));
  return [...new Set(links)];
}

/** Is this URL one Paperboy unfurls (an arXiv abs/pdf page or a Hugging Face paper page)? */
export function isPaperLink(url: string): boolean {
  return paperLinks(url).length === 1 && parseArxivId(url) !== null;
}

/**
 * A card quotes at most this much of the abstract's first sentence (some run for pages): a
 * few cards then fit one Discord message (6,000 characters) and an unfurl stays short.
 */
const FIRST_SENTENCE_MAX = 400;

/**
 * Channels of one workspace whose digests carried the paper that a card looks at: more
 * channels than a workspace has in practice, a bound on the read whatever its history.
 */
const POSTINGS_LOOKED_AT = 1000;

/**
 * The first day a digest of this tenant (workspace; a Discord DM only itself) carried the
 * paper, or null. One indexed store lookup; the channel list is read only when the
 * workspace posted the paper (to tell a shared channel apart).
 */
export async function postedInWorkspace(
  store: AsyncStore,
  here: ChannelRef,
  paperId: string,
  shared = false,
): Promise<string | null> {
  const alone = seesOnlyItself(here, [], shared);
  const postings = await store.digestPostings(
    paperId,
    alone ? here : { platform: here.platform, workspace: here.workspace },
    POSTINGS_LOOKED_AT,
  );
  if (postings.length === 0) return null;
  const known = alone ? [] : (await store.listChannels()).map((c) => c.ref);
  const visible = visibleFrom(here, known, shared);
  // Earliest first: the first one this caller may see is the day.
  return postings.find((p) => visible(p.channel))?.digestDate ?? null;
}

/** What became of one link: its card, or why there is none. */
export type LinkCard =
  | { kind: 'card'; card: NoticeReply }
  /** Not stored, and no lookup configured (or not an arXiv id). */
  | { kind: 'not-stored' }
  /** arXiv has no paper with this id. */
  | { kind: 'unknown' }
  /** The lookup failed (logged by the lookup). */
  | { kind: 'failed' };

/**
 * A link's card: title, authors, date, the abstract's first sentence, and "posted here on"
 * when this workspace's digest already carried it. A paper not stored is looked up through
 * the arXiv API when the context has a lookup (once: the paper is stored after, and an id
 * arXiv lacks is remembered for a while).
 */
export async function linkCard(
  ctx: Pick<CommandContext, 'store' | 'paperLookup'>,
  here: ChannelRef,
  url: string,
  /** The platform says the channel is shared with another organisation (Slack Connect). */
  shared = false,
): Promise<LinkCard> {
  const id = parseArxivId(url)?.id;
  const stored: Paper | null = id ? await ctx.store.getPaper(id) : null;
  if (stored) return { kind: 'card', card: await cardOf(ctx.store, here, stored, shared) };
  if (!id || !ctx.paperLookup) return { kind: 'not-stored' };
  const found = await ctx.paperLookup.find(id);
  if (found.kind !== 'found') return found;
  return { kind: 'card', card: await cardOf(ctx.store, here, found.paper, shared) };
}

async function cardOf(
  store: AsyncStore,
  here: ChannelRef,
  paper: Paper,
  shared: boolean,
): Promise<NoticeReply> {
  const facts = [authorSummary(paper), paperDay(paper)].filter((f): f is string => f !== null);
  const lines = [facts.join(' · ')];
  const first = splitSentences(paper.abstract)[0];
  if (first) lines.push(trimText(first, FIRST_SENTENCE_MAX));
  const posted = await postedInWorkspace(store, here, paper.id, shared);
  if (posted) lines.push(`Posted here on ${posted}.`);
  return { kind: 'notice', title: paper.title, lines };
}
