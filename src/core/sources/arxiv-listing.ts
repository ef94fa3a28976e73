import {
  type AnnounceType,
  arxivLinks,
  cleanText,
  isReplacement,
  type PaperLinks,
  type PaperRecord,
  parseArxivId,
  type SourceName,
} from '../paper.js';
import {
  cleanFeedText,
  cleanPlainText,
  htmlToText,
  looksLikeHtml,
  originalOf,
} from '../text/clean-text.js';
import { unique } from './parse-result.js';

/**
 * One item of an arXiv listing (new RSS 2.0, its Atom twin, old RSS 1.0) or of another feed
 * read as RSS, with its fields as written. Every listing goes through `listingRecord`, so
 * the announce-type rule is the same for all: `new` and `cross` are listings; `replace` and
 * `replace-cross` are new versions of old papers, which update a stored paper and are never new.
 */
export interface ListingItem {
  label: string;
  title: string;
  /** `arXiv:… Announce Type: … Abstract: …`, an HTML description, or plain text. */
  description: string;
  /** Where an id may be, best first: guid, link, `rdf:about`. */
  idSources: string[];
  /** `arxiv:announce_type`, or a type read from elsewhere (an RDF title's `UPDATED`). */
  announceType: string;
  /** `dc:creator`: one string, comma separated, maybe HTML links. */
  creators: string;
  categories: string[];
  /** `arxiv:DOI` and `arxiv:journal_reference`, when the item has them. */
  doi?: string;
  journalRef?: string;
  /** The listing day (or a feed item's date), `YYYY-MM-DD`. */
  day: string | null;
  observedAt: string;
  source: SourceName;
}

const ANNOUNCE_TYPES: readonly string[] = ['new', 'cross', 'replace', 'replace-cross'];
// `arXiv:2410.12345v1 Announce Type: new \nAbstract: …`
// (an empty announce type is not the next word: `Announce Type: \nAbstract:`).
const DESCRIPTION =
  /^\s*arXiv:(\S+)\s+Announce Type:\s*(?!Abstract:)(\S*)\s*(?:Abstract:)?([\s\S]*)$/i;
const NAME_SUFFIX = /^(?:Jr|Sr|I{2,3}|IV)\.?$/;
// `<b>Authors:</b> A, B</p>` and `<b>Upvotes:</b> 12` in a third-party feed's HTML description.
const HTML_FIELD =
  /<(b|strong)>\s*(Authors?|Upvotes)\s*:?\s*<\/\1>\s*:?([\s\S]*?)(?=<\/p>|<br\s*\/?>|<p[\s>]|$)/gi;
/** The same label unbolded, opening a paragraph: `<p>Authors: Ana Li, Bo Chen</p>`. */
const HTML_PLAIN_FIELD =
  /(?<=<p(?:\s[^>]*)?>)()\s*(Authors?|Upvotes)\s*:([\s\S]*?)(?=<\/p>|<br\s*\/?>|<p[\s>]|$)/gi;

/** A listing item as a record, or null (with a warning pushed) when it cannot be one. */
export function listingRecord(item: ListingItem, warnings: string[]): PaperRecord | null {
  const title = cleanFeedText(item.title);
  if (!title) {
    warnings.push(`${item.label}: skipped, it has no title`);
    return null;
  }
  const parts = DESCRIPTION.exec(item.description);
  const id = [parts?.[1] ?? '', ...item.idSources].map(parseArxivId).find((found) => found);
  if (!id) {
    warnings.push(`${item.label}: skipped, no arXiv id in its description, guid or link`);
    return null;
  }
  const rawType = (item.announceType || parts?.[2] || '').trim().toLowerCase();
  const announceType = announceTypeOf(rawType);
  if (rawType && announceType !== rawType) {
    warnings.push(
      `${item.label}: announce type "${rawType}" not understood, read as ` +
        (announceType ? `"${announceType}" (a new version: never new)` : 'a listing'),
    );
  }
  let creators = item.creators;
  let upvotes: number | null = null;
  // Labelled fields of an HTML description are taken out of the abstract into their own.
  const field = (_whole: string, _tag: string, label: string, value: string) => {
    if (/^upvotes$/i.test(label)) {
      // `1,234`: a thousands separator is the count's own.
      const count = htmlToText(value).trim();
      if (/^\d{1,3}(?:,\d{3})*$|^\d+$/.test(count)) upvotes = Number(count.replace(/,/g, ''));
      else warnings.push(`${item.label}: upvotes "${count}" not understood`);
    } else if (!creators.trim()) creators = value;
    return ' ';
  };
  const abstractSource = (parts ? (parts[3] ?? '') : item.description)
    .replace(HTML_FIELD, field)
    .replace(HTML_PLAIN_FIELD, field);
  // HTML is decoded here, once: the names' text may itself hold `&lt;` or `&amp;`.
  const authors = splitCreators(looksLikeHtml(creators) ? htmlToText(creators) : creators);
  const links: PaperLinks = arxivLinks(id.id);
  const doi = cleanText(item.doi ?? '');
  if (doi) links.doi = `https://doi.org/${doi.split(/\s+/)[0]}`;
  const journalRef = cleanText(item.journalRef ?? '');
  if (item.idSources.some((s) => /huggingface\.co\/papers\//.test(s))) {
    links.huggingface = `https://huggingface.co/papers/${id.id}`;
  }
  const replacement = announceType !== null && isReplacement({ announceType });
  const abstract = cleanFeedText(abstractSource);
  return {
    arxivId: id.id,
    version: id.version,
    title,
    abstract,
    authors,
    authorCount: authors.length > 0 ? authors.length : null,
    // A replacement is listed today but was published long ago: its date is not the listing's.
    publishedAt: replacement ? null : item.day,
    source: item.source,
    links,
    upvotes,
    comments: null,
    keywords: [],
    categories: unique(item.categories.map((c) => c.trim())),
    comment: journalRef ? `Journal-ref: ${journalRef}` : null,
    observedAt: item.observedAt,
    // The item's own date is the day it was listed, when the listing's date says another (a
    // channel without a date would otherwise list it on the day the feed was read).
    ...(item.day && item.day !== item.observedAt.slice(0, 10) ? { listedAt: item.day } : {}),
    ...(announceType ? { announceType } : {}),
    ...originalOf({ title: item.title, abstract: abstractSource }, { title, abstract }),
  };
}

/**
 * The announce type, by the shared rule: `new` and `cross` as written; any `replace…` spelling
 * (`replace_cross`, `Replaced`) is a replacement, so a new version is never announced as new.
 */
function announceTypeOf(rawType: string): AnnounceType | null {
  if (ANNOUNCE_TYPES.includes(rawType)) return rawType as AnnounceType;
  if (rawType.startsWith('replace')) return rawType.includes('cross') ? 'replace-cross' : 'replace';
  return null;
}

/**
 * `A, B, and C` / `A, B and C` / `A and B` → names; `Jr.` stays with its name. The text is
 * plain (HTML already decoded by the caller): LaTeX is made Unicode, entities are left alone.
 */
export function splitCreators(text: string): string[] {
  const names: string[] = [];
  for (const part of cleanPlainText(text).split(/\s*,\s*(?:and\s+)?|\s+and\s+/)) {
    const name = cleanText(part);
    if (!name) continue;
    if (NAME_SUFFIX.test(name) && names.length > 0) names[names.length - 1] += `, ${name}`;
    else names.push(name);
  }
  return names;
}
