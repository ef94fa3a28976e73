import { PaperboyError } from '../errors.js';
import { arxivLinks, cleanText, isReplacement, type PaperRecord, parseArxivId } from '../paper.js';
import { cleanFeedText, originalOf } from '../text/clean-text.js';
import { listingRecord } from './arxiv-listing.js';
import {
  elementNames,
  entryLabel,
  isoDay,
  isoTimestamp,
  type ParseResult,
  UnknownFields,
  unique,
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

export interface ArxivAtomOptions {
  /** When the feed was fetched (ISO); used when the feed carries no date of its own. */
  fetchedAt: string;
  /**
   * The input is a saved file: `fetchedAt` is then its modification time, which dates nothing,
   * so an item nothing in it dates has an unknown date (said per item). A live poll (false)
   * lists such an item on the day it was read, and says nothing of it.
   */
  fromFile?: boolean;
}

export interface ArxivAtomResult extends ParseResult {
  /** `opensearch:totalResults`: how many papers the query matches in all; null when absent. */
  totalResults: number | null;
}

/**
 * Reads an arXiv query API answer (Atom 1.0 with opensearch and arxiv extensions), or arXiv's
 * Atom listing (rss.arxiv.org/atom/<categories>, the twin of the RSS listing: `dc:creator`,
 * `arxiv:announce_type`, a summary starting `arXiv:… Announce Type: …`), which is read by the
 * same rules as the RSS listing. The API reports a bad query as a feed with one entry titled
 * `Error`: that becomes SOURCE_HTTP.
 */
export function parseArxivAtom(text: string, options: ArxivAtomOptions): ArxivAtomResult {
  const root = parseXml(
    text,
    'arXiv Atom feed',
    ['entry', 'author', 'link', 'category'],
    [NAMESPACES.atom],
  );
  const feed = asNode(root.feed) ?? (root.feed === '' ? {} : null);
  if (!feed) {
    const found = Object.keys(root).find((k) => !k.startsWith('?')) ?? 'nothing';
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      `Not an arXiv Atom feed: expected <feed>, found <${found}>`,
    );
  }
  const entries = listOf(feed.entry);
  const first = asNode(entries[0]);
  // A real paper titled "Error" has an arXiv id; the API's error entry does not.
  const isErrorEntry =
    first && cleanText(textOf(first.title)) === 'Error' && !parseArxivId(textOf(first.id));
  if (entries.length === 1 && isErrorEntry) {
    const reason = cleanText(textOf(first.summary)) || 'no reason given';
    throw new PaperboyError('SOURCE_HTTP', `The arXiv API answered with an error: ${reason}`);
  }
  const observedAt = isoTimestamp(textOf(feed.updated)) ?? options.fetchedAt;
  const papers: PaperRecord[] = [];
  const warnings: string[] = [];
  const unknown = new UnknownFields();
  entries.forEach((raw, index) => {
    const entry = asNode(raw);
    if (entry) unknown.check(elementNames(entry), ENTRY_FIELDS, index + 1);
    if (entry && isListingEntry(entry)) {
      const record = listingRecord(
        {
          label: entryLabel('entry', index, textOf(entry.title)),
          title: textOf(entry.title),
          description: textOf(entry.summary),
          idSources: [textOf(entry.id), ...listOf(entry.link).map((l) => attributeOf(l, 'href'))],
          announceType: textOf(entry['arxiv:announce_type']),
          creators: textOf(entry['dc:creator']) || authorNames(entry).join(', '),
          categories: categoriesOf(entry),
          doi: textOf(entry['arxiv:DOI']),
          journalRef: textOf(entry['arxiv:journal_reference']),
          day: isoDay(textOf(entry.published)) ?? isoDay(textOf(entry.updated)),
          observedAt,
          source: 'arxiv-rss',
        },
        warnings,
      );
      const dated = isoDay(textOf(entry.published)) ?? isoDay(textOf(entry.updated));
      const undated = !dated && !isoTimestamp(textOf(feed.updated));
      if (record && options.fromFile && undated) {
        record.listedAt = null;
        if (!isReplacement(record))
          warnings.push(
            `${entryLabel('entry', index, record.title)}: no <published> or <updated>, its date is unknown`,
          );
      }
      if (record) papers.push(record);
      return;
    }
    const title = entry ? cleanFeedText(textOf(entry.title)) : '';
    const label = entryLabel('entry', index, title);
    if (!entry || !title) {
      warnings.push(`${label}: skipped, it has no title`);
      return;
    }
    const id = parseArxivId(textOf(entry.id));
    if (!id) {
      warnings.push(
        `${label}: skipped, its id "${cleanText(textOf(entry.id))}" is not an arXiv id`,
      );
      return;
    }
    const authors = authorNames(entry);
    const comment = cleanText(textOf(entry['arxiv:comment']));
    const journalRef = cleanText(textOf(entry['arxiv:journal_ref']));
    const doi = cleanText(textOf(entry['arxiv:doi']));
    const links = arxivLinks(id.id);
    if (doi) links.doi = `https://doi.org/${doi.split(/\s+/)[0]}`;
    const abstract = cleanFeedText(textOf(entry.summary));
    const published = isoDay(textOf(entry.published));
    const publishedAt = published ?? isoDay(textOf(entry.updated));
    if (!published) {
      warnings.push(
        publishedAt
          ? `${label}: no <published>, dated by <updated> (its latest version)`
          : `${label}: no <published> or <updated>, its date is unknown`,
      );
    }
    papers.push({
      arxivId: id.id,
      version: id.version,
      title,
      abstract,
      authors,
      authorCount: authors.length > 0 ? authors.length : null,
      publishedAt,
      source: 'arxiv-api',
      links,
      upvotes: null,
      comments: null,
      keywords: [],
      categories: categoriesOf(entry),
      comment:
        comment && journalRef
          ? `${comment}; Journal-ref: ${journalRef}`
          : comment || (journalRef ? `Journal-ref: ${journalRef}` : null),
      observedAt,
      ...originalOf(
        { title: textOf(entry.title), abstract: textOf(entry.summary) },
        { title, abstract },
      ),
    });
  });
  return {
    papers,
    warnings,
    ...unknown.fields('entry', (name) => `<entry> element <${name}>`),
    totalResults: totalResultsOf(feed),
  };
}

/**
 * The elements of an entry of the query API and of the Atom listing, as arXiv documents them
 * (`rights`, `dc:rights`, `contributor` and `source` are known and deliberately not kept).
 */
const ENTRY_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'updated',
  'published',
  'summary',
  'content',
  'author',
  'contributor',
  'link',
  'category',
  'rights',
  'source',
  'arxiv:primary_category',
  'arxiv:comment',
  'arxiv:journal_ref',
  'arxiv:doi',
  'arxiv:announce_type',
  'arxiv:DOI',
  'arxiv:journal_reference',
  'dc:creator',
  'dc:rights',
]);

/** An entry of arXiv's Atom listing rather than of a query API answer. */
function isListingEntry(entry: XmlNode): boolean {
  return (
    entry['arxiv:announce_type'] !== undefined ||
    entry['dc:creator'] !== undefined ||
    /^\s*arXiv:\S+\s+Announce Type:/i.test(textOf(entry.summary))
  );
}

function authorNames(entry: XmlNode): string[] {
  return listOf(entry.author)
    .map((author) => cleanFeedText(textOf(asNode(author)?.name)))
    .filter((name) => name.length > 0);
}

/** Primary category first, then the others, each once. */
function categoriesOf(entry: XmlNode): string[] {
  const primary = attributeOf(entry['arxiv:primary_category'], 'term');
  return unique([
    primary,
    ...listOf(entry.category).map((c) => attributeOf(c, 'term') || textOf(c)),
  ]);
}

function totalResultsOf(feed: XmlNode): number | null {
  const raw = textOf(feed['opensearch:totalResults']).trim();
  if (!/^\d+$/.test(raw)) return null;
  return Number(raw);
}
