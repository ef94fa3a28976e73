import { PaperboyError } from '../errors.js';
import {
  type AnnounceType,
  arxivLinks,
  cleanText,
  type PaperRecord,
  parseArxivId,
} from '../paper.js';
import { entryLabel, isoTimestamp, type ParseResult, rfc822Day, unique } from './parse-result.js';
import { asNode, listOf, parseXml, textOf, type XmlNode } from './parse-xml.js';

export interface ArxivRssOptions {
  /** When the feed was fetched (ISO); used when the feed carries no date of its own. */
  fetchedAt: string;
}

const ANNOUNCE_TYPES: readonly AnnounceType[] = ['new', 'cross', 'replace', 'replace-cross'];
// `arXiv:2410.12345v1 Announce Type: new \nAbstract: …`
const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*(\S+)\s*(?:Abstract:)?([\s\S]*)$/i;
const NAME_SUFFIX = /^(?:Jr|Sr|I{2,3}|IV)\.?$/;

/**
 * Reads an arXiv RSS 2.0 listing (rss.arxiv.org/rss/<categories>). A channel without items is
 * a day without announcements (weekends, holidays), not an error.
 */
export function parseArxivRss(text: string, options: ArxivRssOptions): ParseResult {
  const root = parseXml(text, 'arXiv RSS feed', ['item', 'category']);
  const rss = asNode(root.rss);
  const channel = rss ? (asNode(rss.channel) ?? (rss.channel === '' ? {} : null)) : null;
  if (!channel) {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      `Not an arXiv RSS feed: expected <rss><channel>, found <${Object.keys(root).find((k) => !k.startsWith('?')) ?? 'nothing'}>`,
    );
  }
  const observedAt =
    isoTimestamp(textOf(channel.lastBuildDate)) ??
    isoTimestamp(textOf(channel.pubDate)) ??
    options.fetchedAt;
  const papers: PaperRecord[] = [];
  const warnings: string[] = [];
  listOf(channel.item).forEach((raw, index) => {
    const item = asNode(raw);
    const title = item ? cleanText(textOf(item.title)) : '';
    const label = entryLabel('item', index, title);
    if (!item || !title) {
      warnings.push(`${label}: skipped, it has no title`);
      return;
    }
    const description = textOf(item.description);
    const parts = DESCRIPTION.exec(description);
    const id =
      parseArxivId(parts?.[1] ?? '') ??
      parseArxivId(textOf(item.guid)) ??
      parseArxivId(textOf(item.link));
    if (!id) {
      warnings.push(`${label}: skipped, no arXiv id in its description, guid or link`);
      return;
    }
    const announceType = readAnnounceType(item, parts?.[2]);
    if (announceType === undefined) warnings.push(`${label}: unknown announce type ignored`);
    const authors = splitCreators(textOf(item['dc:creator']));
    papers.push({
      arxivId: id.id,
      version: id.version,
      title,
      abstract: cleanText(parts ? (parts[3] ?? '') : description),
      authors,
      authorCount: authors.length > 0 ? authors.length : null,
      publishedAt: rfc822Day(textOf(item.pubDate)),
      source: 'arxiv-rss',
      links: arxivLinks(id.id),
      upvotes: null,
      comments: null,
      keywords: [],
      categories: unique(listOf(item.category).map((c) => textOf(c).trim())),
      comment: null,
      observedAt,
      ...(announceType ? { announceType } : {}),
    });
  });
  return { papers, warnings };
}

function readAnnounceType(
  item: XmlNode,
  fromDescription?: string,
): AnnounceType | null | undefined {
  const raw = (textOf(item['arxiv:announce_type']) || fromDescription || '').trim().toLowerCase();
  if (!raw) return null;
  return (ANNOUNCE_TYPES as readonly string[]).includes(raw) ? (raw as AnnounceType) : undefined;
}

/** `A, B, and C` / `A, B and C` / `A and B` → names; `Jr.` stays with its name. */
export function splitCreators(text: string): string[] {
  const names: string[] = [];
  for (const part of cleanText(text).split(/\s*,\s*(?:and\s+)?|\s+and\s+/)) {
    const name = part.trim();
    if (!name) continue;
    if (NAME_SUFFIX.test(name) && names.length > 0) names[names.length - 1] += `, ${name}`;
    else names.push(name);
  }
  return names;
}
