import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../src/core/errors.js';
import { ingestFile, LINE_CAP } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// How ingest reads the bytes of a file: encodings, whole lines, the line cap, cut-off files,
// and fields it does not understand.
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');
const fixture = (name: string) => path.join('test/fixtures', name);
/** The fixture's well-formed snapshot lines (it also has broken ones, for other tests). */
const snapshotLines = () =>
  readFileSync(fixture('arxiv-snapshot.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .filter((line) => {
      try {
        const row = JSON.parse(line) as { id?: unknown; title?: unknown; versions?: unknown[] };
        return typeof row.id === 'string' && Boolean(row.title) && Boolean(row.versions?.length);
      } catch {
        return false;
      }
    });

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function failure(promise: Promise<unknown>, code: string): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isPaperboyError(error)) throw new Error(`expected ${code}, got ${String(error)}`);
  expect(error.code).toBe(code);
  return error.message;
}

describe('ingest input', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(':memory:');
  });
  afterEach(() => store.close());
  const ingest = (file: string) => ingestFile({ store, file, now: () => NOW });

  describe('encodings', () => {
    it.each([
      ['arxiv-rss-windows-1252.xml', 'We bound the “Rényi” entropy — tightly — at 5 € per sample.'],
      ['arxiv-rss-iso-8859-1.xml', 'We bound the Rényi entropy of Müller chains, ½ tightly.'],
      ['arxiv-rss-utf8-bom.xml', 'We bound the “Rényi” entropy — tightly — at 5 € per sample.'],
      ['arxiv-rss-utf16le-bom.xml', 'We bound the “Rényi” entropy — tightly — at 5 € per sample.'],
      ['arxiv-rss-utf16be-bom.xml', 'We bound the “Rényi” entropy — tightly — at 5 € per sample.'],
    ])('decodes %s as it declares', async (name, abstract) => {
      const summary = await ingest(fixture(`encodings/${name}`));
      expect(summary).toMatchObject({ format: 'arxiv-rss', added: 1, warningCount: 0 });
      expect(store.getPaper('2609.28553')).toMatchObject({
        title: 'Rényi Entropy of Müller Chains',
        authors: ['Zoë Martin', 'José García', 'François Lévêque'],
        abstract,
      });
    });

    it('refuses undeclared bytes that are not UTF-8, naming the line, and stores nothing', async () => {
      const message = await failure(
        ingest(fixture('encodings/arxiv-rss-undeclared-latin1.xml')),
        'FEED_MALFORMED',
      );
      expect(message).toMatch(
        /arxiv-rss-undeclared-latin1\.xml: line 8 is not valid UTF-8 \(it declares no other encoding\): byte 0xE9 at byte 15 of the line/,
      );
      expect(store.countPapers()).toBe(0);
    });

    it('skips a JSON Lines line that is not UTF-8, naming it, and keeps the others', async () => {
      const [first, second, third] = snapshotLines();
      const bad = Buffer.from((second as string).replace('Jane Roe', 'Jane R\u00f6e'), 'latin1');
      const file = writeFile(
        'latin1-line.jsonl',
        Buffer.concat([Buffer.from(`${first}\n`), bad, Buffer.from(`\n${third}\n`)]),
      );
      const summary = await ingest(file);
      expect(summary).toMatchObject({ added: 2, skipped: 1 });
      expect(summary.warnings).toEqual([
        expect.stringMatching(/^line 2: skipped, it is not valid UTF-8 \(byte 0xF6 at byte \d+/),
      ]);
      expect(store.getPaper('math/0604473')).toBeNull();
    });
  });

  describe('format detection on whole lines', () => {
    it('detects a file whose first record is 200 KB long', async () => {
      // Paperboy's own JSON Lines, keys in another order: `id` only after the long abstract.
      const long = JSON.stringify({
        title: 'A Very Long Abstract',
        abstract: `${'é'.repeat(100_000)} end.`,
        authors: ['Ada Lovelace'],
        date: '2026-01-02',
        id: '2601.00001',
      });
      const file = writeFile('long-first.jsonl', `${long}\n${snapshotLines()[1]}\n`);
      const summary = await ingest(file);
      expect(summary).toMatchObject({ format: 'jsonl', added: 2, skipped: 0 });
      expect(store.getPaper('2601.00001')?.abstract.endsWith('é end.')).toBe(true);
    });

    it('detects the snapshot when its first line is long, never cutting a character', async () => {
      const row = JSON.parse(snapshotLines()[1] as string) as Record<string, unknown>;
      // The snapshot's distinctive keys after 200 KB of multi-byte text.
      const reordered = {
        id: row.id,
        title: row.title,
        abstract: 'ü'.repeat(100_000),
        versions: row.versions,
        authors_parsed: row.authors_parsed,
      };
      const file = writeFile('long-snapshot.jsonl', `${JSON.stringify(reordered)}\n`);
      expect(await ingest(file)).toMatchObject({ format: 'arxiv-snapshot', added: 1 });
    });
  });

  describe('line cap', () => {
    it('skips a JSON Lines line over 1 MB, naming it, and reads the lines around it', async () => {
      const [first, second] = snapshotLines();
      const huge = JSON.stringify({
        id: '2601.00002',
        title: 'Too long',
        abstract: 'x'.repeat(LINE_CAP + 10),
        versions: [],
      });
      const file = writeFile('huge-line.jsonl', `${first}\n${huge}\n${second}\n`);
      const summary = await ingest(file);
      expect(summary).toMatchObject({ added: 2, skipped: 1 });
      expect(summary.warnings).toEqual([
        'line 2: skipped, longer than the 1 MB line cap (not read into memory)',
      ]);
      expect(store.getPaper('2601.00002')).toBeNull();
    });

    it('counts an over-long last line without a newline', async () => {
      const file = writeFile(
        'huge-last.jsonl',
        `${snapshotLines()[0]}\n${'{'.repeat(LINE_CAP + 1)}`,
      );
      const summary = await ingest(file);
      expect(summary).toMatchObject({ added: 1, skipped: 1 });
      expect(summary.warnings).toEqual([expect.stringMatching(/^line 2: skipped, longer than/)]);
    });
  });

  describe('cut-off files', () => {
    it('keeps the complete JSON Lines before a cut last line, and says the file ends mid-line', async () => {
      const [first, second, third] = snapshotLines();
      const file = writeFile(
        'cut.jsonl',
        `${first}\n${second}\n${(third as string).slice(0, 120)}`,
      );
      const summary = await ingest(file);
      expect(summary).toMatchObject({ added: 2, skipped: 1 });
      expect(summary.warnings).toEqual([
        'line 3: skipped, the file ends in the middle of this line (cut off?); the 2 lines before it were read',
      ]);
    });

    it('refuses an XML feed cut mid-element as a whole, naming where it ends', async () => {
      const text = readFileSync(fixture('arxiv-atom-listing.xml'), 'utf8');
      const cut = text.slice(0, text.indexOf('A cross-listed abstract'));
      const file = writeFile('cut.xml', cut);
      const message = await failure(ingest(file), 'FEED_MALFORMED');
      const lines = cut.split('\n').length;
      expect(message).toBe(
        `${file}: The arXiv Atom feed ends in the middle of <summary> (line ${lines}, the last), inside <entry> opened at line 23: the file looks cut off. Nothing was stored: a feed file is read whole or not at all`,
      );
      expect(store.countPapers()).toBe(0);
    });
  });

  describe('fields not understood', () => {
    it('warns once per unknown key per file, counted, and lists it in the summary', async () => {
      const lines = snapshotLines().map((line, i) => {
        const row = JSON.parse(line) as Record<string, unknown>;
        if (i > 0) row.citation_count = i;
        if (i === 2) row.tldr = 'short';
        return JSON.stringify(row);
      });
      const summary = await ingest(writeFile('extra-keys.jsonl', `${lines.join('\n')}\n`));
      expect(summary.skipped).toBe(0);
      expect(summary.warningCount).toBe(2);
      expect(summary.unknownFields).toEqual([
        `key "citation_count" not understood, ignored (in ${lines.length - 1} lines, first line 2)`,
        'key "tldr" not understood, ignored (in 1 line, first line 3)',
      ]);
    });

    it('warns once per unknown element of a feed item', async () => {
      const text = readFileSync(fixture('arxiv-rss.xml'), 'utf8').replace(
        /<\/item>/g,
        '<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="x"/><slash:comments xmlns:slash="http://purl.org/rss/1.0/modules/slash/">3</slash:comments></item>',
      );
      const summary = await ingest(writeFile('extra-elements.xml', text));
      // The fixture's two replacements of papers not stored are skipped, as always.
      expect(summary.skipped).toBe(summary.skippedReplacements);
      expect(summary.unknownFields).toEqual([
        '<item> element <media:thumbnail> not understood, ignored (in 5 items, first item 1)',
        '<item> element <slash:comments> not understood, ignored (in 5 items, first item 1)',
      ]);
    });
  });
});
