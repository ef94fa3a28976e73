import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// Kaggle serves the arXiv metadata snapshot as `archive.zip`. Issue 12 asks for "a clear coded
// error naming what was seen when a file is none of them": fed the zip as downloaded, ingest
// says it found `text starting "PK…"` followed by the archive's raw bytes (control characters
// written to the terminal), and nothing says it is a ZIP archive to unpack first.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-file ZIP archive (local file header + deflated data), as Kaggle's download starts. */
function zipOf(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), data]);
}

describe('review12b: the snapshot as Kaggle serves it (archive.zip)', () => {
  it('is refused with a message that names a ZIP archive and holds no raw bytes', async () => {
    const snapshot = readFileSync('test/fixtures/arxiv-snapshot.jsonl');
    const file = path.join(dir, 'archive.zip');
    writeFileSync(file, zipOf('arxiv-metadata-oai-snapshot.json', snapshot));
    const store = SqliteStore.open(':memory:');
    try {
      const error = await ingestFile({ store, file, now: () => new Date() }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/not in a format Paperboy reads/);
      expect(error?.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/);
      expect(error?.message).toMatch(/zip/i);
    } finally {
      store.close();
    }
  });
});
