import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  committedCount,
  ingestHeard,
  corpusLine as paperLine,
  warningHead,
} from '../core/ingest-heard.js';

// b3591ca: a reader going on from another's part batch ends its first batch at the next
// whole multiple, so with no lines handed back ('never') the thread says the same warnings
// between the same commits as one thread, whatever the batch size and hand-over point.

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-rereview12c-never-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpusLine = (i: number) => paperLine(i, `abs ${i} ${'q'.repeat(200 + (i % 97))}`, i % 4500);

async function heard(file: string, batchSize: number, handOverAfter: number | null) {
  const threading = handOverAfter === null ? null : { handOverAfter, handOff: 'never' as const };
  const { summary, heard, stored } = await ingestHeard(
    file,
    batchSize,
    threading,
    { warning: warningHead, batch: committedCount },
    (store) => store.db.prepare('SELECT id, title FROM papers ORDER BY id').all(),
  );
  return { said: heard, summary: { ...summary }, rows: stored };
}

const lines = Array.from({ length: 5000 }, (_, i) => (i % 11 === 4 ? '{"broken' : corpusLine(i)));
const text = `${lines.join('\n')}\n`;
const plain = path.join(dir, 'never.jsonl');
const gz = path.join(dir, 'never.jsonl.gz');
writeFileSync(plain, text);
writeFileSync(gz, gzipSync(Buffer.from(text)));

describe("the thread with no lines handed back ('never') agrees with one thread", () => {
  const cases = [1, 2, 3, 7, 9, 16, 2003].flatMap((size) =>
    [plain, gz].map((file) => [size, path.basename(file), file] as const),
  );
  it.each(cases)(
    'batch size %i, %s, hand-over at several offsets',
    async (size, _name, file) => {
      const one = await heard(file, size, null);
      for (const after of [0, 1, 262_145, 700_001]) {
        const two = await heard(file, size, after);
        expect(two.said, `after ${after}`).toEqual(one.said);
        expect(two.summary, `after ${after}`).toEqual(one.summary);
        expect(two.rows, `after ${after}`).toEqual(one.rows);
      }
    },
    120_000,
  );
});
