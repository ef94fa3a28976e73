import { PaperboyError } from '../errors.js';
import {
  arxivLinks,
  cleanText,
  type PaperLinks,
  type PaperRecord,
  parseArxivId,
} from '../paper.js';
import { cleanFeedText } from '../text/clean-text.js';
import {
  entryLabel,
  isoDay,
  isoTimestamp,
  type ParseResult,
  UnknownFields,
  unique,
} from './parse-result.js';

export interface HfDailyPapersOptions {
  /** When the list was fetched (ISO): HF gives no date for its counts, so this dates them. */
  fetchedAt: string;
}

type Json = Record<string, unknown>;

/**
 * Reads Hugging Face `/api/daily_papers` (a JSON array of `{ paper, numComments, … }`); a single
 * paper object from `/api/papers/{id}` reads as a list of one. Every optional field may be
 * absent or null; unknown counts stay null.
 */
export function parseHfDailyPapers(text: string, options: HfDailyPapersOptions): ParseResult {
  const elements = readElements(text);
  const papers: PaperRecord[] = [];
  const warnings: string[] = [];
  const unknown = new UnknownFields();
  elements.forEach((element, index) => {
    const outer = asObject(element);
    const paper = asObject(outer?.paper) ?? outer;
    if (outer && paper !== outer) unknown.check(Object.keys(outer), ENTRY_FIELDS, index + 1);
    if (paper) {
      const fields = paper === outer ? new Set([...PAPER_FIELDS, ...ENTRY_FIELDS]) : PAPER_FIELDS;
      for (const key of Object.keys(paper))
        if (!fields.has(key)) unknown.add([`paper.${key}`], index + 1);
    }
    const title = cleanFeedText(stringOr(paper?.title) || stringOr(outer?.title));
    const label = entryLabel('entry', index, title);
    if (!outer || !paper) {
      warnings.push(`${label}: skipped, it is not an object`);
      return;
    }
    if (!title) {
      warnings.push(`${label}: skipped, it has no title`);
      return;
    }
    const rawId = paper.id;
    const id = typeof rawId === 'string' ? parseArxivId(rawId) : null;
    if (!id) {
      warnings.push(
        `${label}: skipped, its id ${JSON.stringify(rawId ?? null)} is not an arXiv id`,
      );
      return;
    }
    const authorList = Array.isArray(paper.authors) ? paper.authors : null;
    // The day HF listed it: `submittedOnDailyAt`, else the daily entry's own `publishedAt`
    // (a bare paper object has none). Never the fetch time of an old file.
    const listedAt =
      isoTimestamp(paper.submittedOnDailyAt) ??
      (outer !== paper ? isoTimestamp(outer.publishedAt) : null);
    // Hidden authors are still authors of the paper (hidden only unlinks their HF profile).
    const authors = (authorList ?? [])
      .map((author) => cleanFeedText(stringOr(asObject(author)?.name)))
      .filter((name) => name.length > 0);
    papers.push({
      arxivId: id.id,
      version: id.version,
      title,
      abstract: cleanFeedText(stringOr(paper.summary) || stringOr(outer.summary)),
      authors,
      authorCount: authorList && authorList.length > 0 ? authorList.length : null,
      publishedAt: isoDay(paper.publishedAt) ?? isoDay(outer.publishedAt),
      source: 'huggingface',
      links: linksOf(id.id, paper),
      upvotes: countOr(paper.upvotes),
      comments: countOr(outer.numComments),
      keywords: Array.isArray(paper.ai_keywords)
        ? unique(paper.ai_keywords.map((k) => cleanText(stringOr(k))))
        : [],
      categories: [],
      comment: null,
      observedAt: options.fetchedAt,
      ...(listedAt ? { listedAt } : {}),
    });
  });
  return {
    papers,
    warnings,
    ...unknown.fields('entry', (name) => `key ${JSON.stringify(name)}`),
  };
}

/**
 * The keys Hugging Face documents for an element of `daily_papers` and for its `paper`; those
 * not read (thumbnail, submitter, GitHub stars, AI summary…) are known and deliberately not kept.
 */
const ENTRY_FIELDS: ReadonlySet<string> = new Set([
  'paper',
  'publishedAt',
  'title',
  'summary',
  'thumbnail',
  'numComments',
  'submittedBy',
  'organization',
  'isAuthorParticipating',
  'mediaUrls',
]);
const PAPER_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'authors',
  'publishedAt',
  'submittedOnDailyAt',
  'submittedOnDailyBy',
  'title',
  'summary',
  'upvotes',
  'discussionId',
  'githubRepo',
  'githubStars',
  'projectPage',
  'ai_summary',
  'ai_keywords',
  'mediaUrls',
  'organization',
  'withdrawnAt',
]);

function readElements(text: string): unknown[] {
  const start = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (start !== '[' && start !== '{') {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      'Expected Hugging Face daily_papers JSON, but the input is not JSON',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // The message names the position only; JSON.parse's own text may quote the input.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new PaperboyError(
      'FEED_MALFORMED',
      `The Hugging Face daily_papers JSON is not valid JSON${position ? ` (at character ${position})` : ''}`,
    );
  }
  if (Array.isArray(data)) return data;
  const object = asObject(data);
  if (object && typeof object.error === 'string') {
    throw new PaperboyError(
      'SOURCE_HTTP',
      `Hugging Face answered with an error: ${cleanText(object.error)}`,
    );
  }
  if (object && ('paper' in object || ('id' in object && 'title' in object))) return [object];
  throw new PaperboyError(
    'FEED_NOT_RECOGNISED',
    'Expected Hugging Face daily_papers JSON (an array of papers), found another JSON value',
  );
}

function linksOf(arxivId: string, paper: Json): PaperLinks {
  const links: PaperLinks = {
    ...arxivLinks(arxivId),
    huggingface: `https://huggingface.co/papers/${arxivId}`,
  };
  const code = httpUrlOr(paper.githubRepo);
  const project = httpUrlOr(paper.projectPage);
  if (code) links.code = code;
  if (project) links.project = project;
  return links;
}

function asObject(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function countOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function httpUrlOr(value: unknown): string | null {
  const text = stringOr(value).trim();
  return /^https?:\/\/\S+$/i.test(text) ? text : null;
}
