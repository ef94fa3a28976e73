import { isSnapshotRow } from './parse-arxiv-snapshot.js';

export type FeedFormat =
  | 'hf-page'
  | 'hf-json'
  | 'arxiv-rss'
  | 'arxiv-atom'
  | 'jsonl'
  | 'arxiv-snapshot';

/** Keys only the arXiv metadata snapshot (Kaggle) has on each line. */
const SNAPSHOT_KEY = /"(?:versions|authors_parsed|update_date|submitter|journal-ref)"\s*:/;

/**
 * Names the format of a file from its first few KB (already decompressed), or null. Only
 * chooses a parser; the parser itself still rejects input that is not really the format.
 * JSON Lines are told apart by the keys of the first line (the snapshot's `versions`,
 * `authors_parsed`… against Paperboy's `id` with `title` or `abstract`); the reader checks
 * every line again.
 */
export function detectFormat(head: string): FeedFormat | null {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    // By local name: the prefix is whatever the file bound (`<atom:feed>`, `<r:RDF>`).
    const name = xmlRoot(text)?.replace(/^.*:/, '').toLowerCase();
    if (name === 'rss' || name === 'rdf') return 'arxiv-rss';
    if (name === 'feed') return 'arxiv-atom';
    return null;
  }
  if (text.startsWith('[')) return snapshotArray(text) ? null : 'hf-json';
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    const row = jsonObject(firstLine);
    if (row) return jsonLineFormat(row, /\n\s*\{/.test(text.slice(firstLine.length)));
    // Not one object on the first line: pretty-printed JSON, or a first line over the cap.
    if (SNAPSHOT_KEY.test(firstLine) && /"id"\s*:/.test(firstLine)) return 'arxiv-snapshot';
    if (/"(?:title|abstract)"\s*:/.test(firstLine) && /"id"\s*:/.test(firstLine)) return 'jsonl';
    if (/"paper"\s*:/.test(text) || /"upvotes"\s*:/.test(text)) return 'hf-json';
    return null;
  }
  const lines = text.split(/\r?\n/, 200).map((line) => line.trim());
  if (lines.includes('Daily Papers') || lines.some((line) => /^•\s*\d+\s+authors?$/.test(line))) {
    return 'hf-page';
  }
  return null;
}

const decompress = (tool: string) => `decompress it first with ${tool}; Paperboy reads gzip itself`;
const UNPACK = 'unpack it first and ingest the file inside';

/**
 * Archives and compressed data Paperboy does not open itself, by their first bytes as decoded
 * (a byte that is not UTF-8 reads as U+FFFD): ZIP (a file's local header, an empty archive, a
 * spanned one's marker), bzip2, xz, zstd, 7-Zip, tar (`ustar` at byte 257).
 */
const PACKED: ReadonlyArray<[RegExp, string]> = [
  [
    /^PK(?:\x03\x04|\x05\x06|\x07\x08)/,
    `a ZIP archive (${UNPACK}: Kaggle's archive.zip holds arxiv-metadata-oai-snapshot.json)`,
  ],
  [/^BZh[1-9]1AY&SY/, `bzip2-compressed data (${decompress('bunzip2')})`],
  [/^\ufffd7zXZ\x00/, `xz-compressed data (${decompress('unxz')})`],
  [/^\(\ufffd\/\ufffd/, `zstd-compressed data (${decompress('unzstd')})`],
  [/^7z\ufffd\ufffd'\x1c/, `a 7-Zip archive (${UNPACK})`],
  [/^[\s\S]{257}ustar/, `a tar archive (${UNPACK}; tar -xf unpacks it)`],
];

/** What the head of a file looks like, for an error about a file Paperboy cannot read. */
export function describeHead(head: string): string {
  const packed = PACKED.find(([magic]) => magic.test(head));
  if (packed) return packed[1];
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return 'an empty file';
  if (text.startsWith('<')) {
    const root = xmlRoot(text);
    return root ? `XML whose root element is <${root}>` : 'text starting with "<" but no element';
  }
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    try {
      const keys = Object.keys(JSON.parse(firstLine) as object);
      return `JSON whose first line has the keys ${printable(keys.slice(0, 12).join(', ')) || '(none)'}`;
    } catch {
      return 'text starting with "{" whose first line is not a JSON object';
    }
  }
  if (text.startsWith('['))
    return snapshotArray(text)
      ? 'a JSON array of arXiv metadata snapshot rows (Paperboy reads the snapshot as JSON Lines, one row per line: `jq -c ".[]"` makes them)'
      : 'a JSON array';
  const first = text.split(/\r?\n/, 1)[0]!.slice(0, 60);
  return `text starting "${printable(first)}"`;
}

/**
 * A file's text fit for a message: control characters (a terminal would act on them) and
 * bytes that were not text (decoded as U+FFFD) are shown escaped, never written raw.
 */
function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufffd]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
    },
  );
}

/**
 * The format of a file whose first line is this JSON object, by its own keys (never a nested
 * one): Paperboy's `id` with a `title` (all the line reader needs) or an `abstract` (a line
 * without a title is that line's warning, not the file's), or the snapshot's. A Hugging Face
 * daily entry has `paper`; a paper object (`/api/papers/{id}`) has `id`, `title` and
 * `upvotes` too, but a `summary` (no `abstract`), and is alone in its file, where Paperboy's
 * lines (papers exported with their upvotes, say) come one after another.
 */
function jsonLineFormat(row: Record<string, unknown>, moreLines: boolean): FeedFormat | null {
  if ('paper' in row) return 'hf-json';
  if ('upvotes' in row && !('abstract' in row) && !moreLines) return 'hf-json';
  if (!('id' in row)) return null;
  if (isSnapshotRow(row)) return 'arxiv-snapshot';
  return 'title' in row || 'abstract' in row ? 'jsonl' : null;
}

function jsonObject(line: string): Record<string, unknown> | null {
  try {
    const data: unknown = JSON.parse(line);
    return data && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * A JSON array whose rows have the snapshot's own keys and no Hugging Face `paper` (a snapshot
 * exported with `jq -s` or pandas): not Hugging Face JSON, whatever its first character.
 */
function snapshotArray(text: string): boolean {
  return SNAPSHOT_KEY.test(text) && !/"paper"\s*:/.test(text);
}

function xmlRoot(text: string): string | null {
  // Skip the XML declaration, comments and doctype to find the root element's name.
  const root = /<([A-Za-z][\w:.-]*)[\s>/]/.exec(
    text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, ''),
  );
  return root?.[1] ?? null;
}
