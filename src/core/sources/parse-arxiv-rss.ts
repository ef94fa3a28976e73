import { PaperboyError } from '../errors.js';
import { isReplacement, type PaperRecord } from '../paper.js';
import { listingRecord } from './arxiv-listing.js';
import {
  elementNames,
  entryLabel,
  feedDay,
  isoDay,
  isoTimestamp,
  type ParseResult,
  UnknownFields,
} from './parse-result.js';
import {
  asNode,
  attributeOf,
  listOf,
  NAMESPACES,
  parseXml,
  textOf,
  type XmlNode,
} from './parse-xml.js';

export { splitCreators } from './arxiv-listing.js';

export interface ArxivRssOptions {
  /** When the feed was fetched (ISO); used when the feed carries no date of its own. */
  fetchedAt: string;
  /**
   * The input is a saved file: `fetchedAt` is then its modification time, which dates nothing,
   * so an item nothing in it dates has an unknown date (said per item). A live poll (false)
   * lists such an item on the day it was read, and says nothing of it.
   */
  fromFile?: boolean;
}

/**
 * An RSS 2.0 item's elements as arXiv documents them, plus RSS 2.0's own; `dc:rights`,
 * `comments`, `source` and `enclosure` are known and deliberately not kept.
 */
const RSS_ITEM_FIELDS: ReadonlySet<string> = new Set([
  'title',
  'link',
  'description',
  'guid',
  'category',
  'pubDate',
  'author',
  'comments',
  'source',
  'enclosure',
  'arxiv:announce_type',
  'arxiv:DOI',
  'arxiv:journal_reference',
  'dc:creator',
  'dc:rights',
]);

/** An RSS 1.0 item of arXiv's old feed: these four (`dc:date`, `dc:subject` are RSS 1.0's own). */
const RDF_ITEM_FIELDS: ReadonlySet<string> = new Set([
  'title',
  'link',
  'description',
  'dc:creator',
  'dc:date',
  'dc:subject',
]);

// An RSS 1.0 title: `Title. (arXiv:2310.10001v2 [cs.RO] UPDATED)`.
const RDF_TITLE = /^([\s\S]*?)\.?\s*\(arXiv:(\S+)(?:\s+\[([^\]]*)\])?\s*([A-Z ]*)\)\s*$/;

/**
 * Reads an arXiv RSS listing: RSS 2.0 (rss.arxiv.org/rss/<categories>), or RSS 1.0 (`rdf:RDF`,
 * served until 2024 and still in saved archives). Other RSS 2.0 paper feeds with arXiv links
 * read the same way (HTML descriptions included). A channel without items is a day without
 * announcements (weekends, holidays), not an error.
 */
export function parseArxivRss(text: string, options: ArxivRssOptions): ParseResult {
  const root = parseXml(text, 'arXiv RSS feed', ['item', 'category'], [NAMESPACES.rss1]);
  const rdf = asNode(root['rdf:RDF']);
  if (rdf) return parseRdf(rdf, options);
  const rss = asNode(root.rss);
  const channel = rss ? (asNode(rss.channel) ?? (rss.channel === '' ? {} : null)) : null;
  if (!channel) {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      `Not an arXiv RSS feed: expected <rss><channel> or <rdf:RDF>, found <${Object.keys(root).find((k) => !k.startsWith('?')) ?? 'nothing'}>`,
    );
  }
  const channelDate =
    isoTimestamp(textOf(channel.lastBuildDate)) ?? isoTimestamp(textOf(channel.pubDate));
  const observedAt = channelDate ?? options.fetchedAt;
  const papers: PaperRecord[] = [];
  const warnings: string[] = [];
  const unknown = new UnknownFields();
  listOf(channel.item).forEach((raw, index) => {
    const item = asNode(raw);
    if (item) unknown.check(elementNames(item), RSS_ITEM_FIELDS, index + 1);
    const title = item ? textOf(item.title) : '';
    const pubDate = item ? textOf(item.pubDate) : '';
    const day = feedDay(pubDate);
    const record = listingRecord(
      {
        label: entryLabel('item', index, title),
        title,
        description: item ? textOf(item.description) : '',
        idSources: item ? [textOf(item.guid), textOf(item.link)] : [],
        announceType: item ? textOf(item['arxiv:announce_type']) : '',
        creators: item ? textOf(item['dc:creator']) || textOf(item.author) : '',
        categories: item ? listOf(item.category).map(textOf) : [],
        doi: item ? textOf(item['arxiv:DOI']) : '',
        journalRef: item ? textOf(item['arxiv:journal_reference']) : '',
        day,
        observedAt,
        source: 'arxiv-rss',
      },
      warnings,
    );
    // An unreadable item date is named: without one the paper is dated by the channel, or
    // (no channel date either) by a live poll's day, or in a file not at all — never silently
    // by the time the file was modified.
    // (A replacement only updates a stored paper, whose date stays: nothing to say of it.)
    if (record && !day && !channelDate && options.fromFile) record.listedAt = null;
    if (
      record &&
      !isReplacement(record) &&
      !day &&
      (pubDate || (!channelDate && options.fromFile))
    ) {
      const what = pubDate ? `pubDate ${JSON.stringify(pubDate)} not understood` : 'no pubDate';
      let then = 'listed on the day it was read';
      if (channelDate) then = `listed on the channel's day ${channelDate.slice(0, 10)}`;
      else if (options.fromFile) then = 'its date is unknown';
      warnings.push(`${entryLabel('item', index, title)}: ${what}, ${then}`);
    }
    if (record) papers.push(record);
  });
  return {
    papers,
    warnings,
    ...unknown.fields('item', (name) => `<item> element <${name}>`),
  };
}

/**
 * RSS 1.0: items are siblings of the channel; the title carries the id, the primary category
 * and `UPDATED` (a replacement) or `CROSS LISTED`; the description and `dc:creator` are HTML.
 */
function parseRdf(rdf: XmlNode, options: ArxivRssOptions): ParseResult {
  const channel = asNode(rdf.channel) ?? {};
  const date = textOf(channel['dc:date']);
  const observedAt = isoTimestamp(date) ?? options.fetchedAt;
  const papers: PaperRecord[] = [];
  const warnings: string[] = [];
  const unknown = new UnknownFields();
  listOf(rdf.item).forEach((raw, index) => {
    const item = asNode(raw) ?? {};
    unknown.check(elementNames(item), RDF_ITEM_FIELDS, index + 1);
    const fullTitle = textOf(item.title);
    const parts = RDF_TITLE.exec(fullTitle);
    const flag = (parts?.[4] ?? '').trim();
    let announceType = '';
    if (flag === 'UPDATED') announceType = 'replace';
    else if (flag === 'CROSS LISTED') announceType = 'cross';
    else if (flag)
      warnings.push(
        `${entryLabel('item', index, fullTitle)}: "${flag}" not understood, read as a listing`,
      );
    else if (parts) announceType = 'new';
    const record = listingRecord(
      {
        label: entryLabel('item', index, parts?.[1] ?? fullTitle),
        title: parts?.[1] ?? fullTitle,
        description: textOf(item.description),
        idSources: [parts?.[2] ?? '', attributeOf(item, 'rdf:about'), textOf(item.link)],
        announceType,
        creators: textOf(item['dc:creator']),
        categories: parts?.[3] ? parts[3].trim().split(/\s+/) : [],
        // An item's own dc:date (RSS 1.0 allows one; arXiv's items have none), else the channel's.
        day: isoDay(textOf(item['dc:date'])) ?? isoDay(date),
        observedAt,
        source: 'arxiv-rss',
      },
      warnings,
    );
    const undated = !isoDay(textOf(item['dc:date'])) && !isoDay(date);
    if (record && options.fromFile && undated) {
      record.listedAt = null;
      if (!isReplacement(record))
        warnings.push(
          `${entryLabel('item', index, record.title)}: no dc:date, its date is unknown`,
        );
    }
    if (record) papers.push(record);
  });
  return {
    papers,
    warnings,
    ...unknown.fields('item', (name) => `<item> element <${name}>`),
  };
}
