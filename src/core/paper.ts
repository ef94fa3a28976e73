import { createHash } from 'node:crypto';

/** Where an observation of a paper came from. */
export type SourceName =
  | 'huggingface'
  | 'arxiv-rss'
  | 'arxiv-api'
  /** Looked up by id because someone linked it: never news by itself. */
  | 'arxiv-lookup'
  | 'hf-page'
  | 'jsonl'
  | 'arxiv-snapshot';

/**
 * How arXiv's RSS announced an item: `new` and `cross` (a cross-listing) are papers new to
 * the listing; `replace` and `replace-cross` are new versions of old papers, so they update
 * the stored row but must not be announced again.
 */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export interface PaperLinks {
  arxivAbs?: string;
  arxivPdf?: string;
  huggingface?: string;
  code?: string;
  project?: string;
  /** `https://doi.org/…` when the source gives a DOI. */
  doi?: string;
}

/**
 * One source's view of a paper, as a parser returns it. Unknown stays unknown:
 * `null` (or absent) means "the source did not say", never zero.
 */
export interface PaperRecord {
  /** Normalised arXiv id without version, or `null` when the source has none. */
  arxivId: string | null;
  /** arXiv version number when the source gave one (2 for `2410.12345v2`). */
  version: number | null;
  title: string;
  abstract: string;
  /** Author names, in order; empty when the source gives only a count. */
  authors: string[];
  /** Total number of authors when known (at least `authors.length`). */
  authorCount: number | null;
  /** Publication (or listing) day, `YYYY-MM-DD`. */
  publishedAt: string | null;
  source: SourceName;
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  keywords: string[];
  categories: string[];
  /** arXiv comment field (pages, venue), when given. */
  comment: string | null;
  /**
   * When this observation is from (ISO timestamp): the feed's own date when it has
   * one, else the fetch time. Newer observations win for counts such as upvotes.
   */
  observedAt: string;
  /**
   * When the feed listed the paper (ISO), when the feed says so (Hugging Face
   * `submittedOnDailyAt`): the paper's feed date, so an old file imported today is dated by
   * its listing, not by the import. Absent: a listing feed's observation time dates it. `null`:
   * nothing dates the listing (a saved file without item or channel dates): no feed date.
   */
  listedAt?: string | null;
  /** Bundled demo papers: served in the terminal demo, never posted in a digest. */
  sample?: boolean;
  /** arXiv RSS only: `replace`/`replace-cross` items update a paper, they are not news. */
  announceType?: AnnounceType;
  /** Title and abstract as the feed wrote them, when cleanup (HTML, LaTeX) changed them. */
  original?: OriginalText;
}

/** Feed text before cleanup: `R\\'{e}nyi` where the paper shows and indexes `Rényi`. */
export interface OriginalText {
  title: string;
  abstract: string;
}

/** `replace`/`replace-cross`: a new version of an old paper, which updates it and is never news. */
export function isReplacement(record: Pick<PaperRecord, 'announceType'>): boolean {
  return record.announceType === 'replace' || record.announceType === 'replace-cross';
}

/** A paper as the store holds it: every observation merged into one row. */
export interface Paper {
  /** arXiv id without version when known, else `t:` + hash of the normalised title. */
  id: string;
  arxivId: string | null;
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  authorCount: number | null;
  publishedAt: string | null;
  /** When Paperboy first stored the paper (ISO timestamp). */
  firstSeenAt: string;
  /** When any field last changed (ISO timestamp). */
  updatedAt: string;
  sources: SourceName[];
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  keywords: string[];
  categories: string[];
  comment: string | null;
  /** Time of the observation the counts (upvotes, comments) come from. */
  observedAt: string;
  sample: boolean;
  /** Title and abstract as written, when cleanup changed them. */
  original?: OriginalText;
  /**
   * The day a listing feed first listed the paper (`YYYY-MM-DD`), or null: bulk files, API
   * searches and link lookups list nothing. Absent on papers not read from a store.
   */
  feedDate?: string | null;
}

/**
 * The one date of a paper: shown ("Date: …"), sorted by (`latest`, answers) and filtered on
 * (`since:`, which the archive computes as `coalesce(published_at, feed_date)`): its publication
 * day, else the day a feed listed it, else null (unknown, shown as "date unknown").
 */
export function paperDate(paper: Pick<Paper, 'publishedAt' | 'feedDate'>): string | null {
  return paper.publishedAt ?? paper.feedDate ?? null;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

// Scheme optional: people paste `arxiv.org/abs/…` as often as full URLs.
const ARXIV_URL =
  /^(?:https?:\/\/)?(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|(?:huggingface|hf)\.co\/papers)\/(.+?)\/?(?:[?#].*)?$/i;

export interface ArxivIdParts {
  id: string;
  version: number | null;
}

/**
 * Reads an arXiv id in any form the sources use: `2410.12345`, `2410.12345v2`,
 * `arXiv:2410.12345`, `cs/0112017`, `oai:arXiv.org:2410.12345v1`, and abs/pdf/Hugging Face URLs.
 * Returns `null` when the text is not one.
 */
export function parseArxivId(text: string): ArxivIdParts | null {
  let candidate = text.trim();
  const url = ARXIV_URL.exec(candidate);
  if (url?.[1]) candidate = url[1].replace(/\.pdf$/i, '');
  candidate = candidate.replace(/^oai:arxiv\.org:/i, '').replace(/^arxiv:\s*/i, '');
  const match = NEW_STYLE.exec(candidate) ?? OLD_STYLE.exec(candidate);
  if (!match?.[1]) return null;
  return { id: match[1], version: match[2] ? Number(match[2]) : null };
}

/** The arXiv id without version, or `null`. */
export function normaliseArxivId(text: string): string | null {
  return parseArxivId(text)?.id ?? null;
}

// Matches only what must change (runs, or any whitespace but a plain space): several times
// faster than /\s+/ on clean text, which matters when ingesting tens of thousands of abstracts.
const UNTIDY_SPACE = /\s{2,}|[^\S ]/g;

/** Collapses runs of whitespace and line breaks into single spaces. */
export function cleanText(text: string): string {
  return text.replace(UNTIDY_SPACE, ' ').trim();
}

const NOT_ASCII = /[^\x00-\x7f]/;

/** Title key used for de-duplication: case, accents, punctuation and spacing ignored. */
export function normaliseTitle(title: string): string {
  // ASCII has no accents to decompose, and its letters and digits are a-z and 0-9 once
  // lowercased: the same key, without two Unicode passes (most titles; every one is keyed).
  if (!NOT_ASCII.test(title))
    return title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return cleanText(title)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Stable id for a paper known only by its title. */
export function titleHashId(title: string): string {
  return `t:${createHash('sha256').update(normaliseTitle(title)).digest('hex').slice(0, 16)}`;
}

/** The id a record is stored under. */
export function paperIdOf(record: Pick<PaperRecord, 'arxivId' | 'title'>): string {
  return record.arxivId ?? titleHashId(record.title);
}

/** Canonical links derived from an arXiv id. */
export function arxivLinks(arxivId: string): PaperLinks {
  return {
    arxivAbs: `https://arxiv.org/abs/${arxivId}`,
    arxivPdf: `https://arxiv.org/pdf/${arxivId}`,
  };
}
