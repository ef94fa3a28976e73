import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  committedCount,
  ingestHeard,
  corpusLine as paperLine,
  warningHead,
} from '../core/ingest-heard.js';

// "A batch's line warnings are said before it is written, as they arose", and with no lines
// handed back (`handOff: 'never'`) the thread gives the warnings between the same batches as
// one thread (test/core/ingest-worker.test.ts). Since e0c5fca the thread posts eighths of a
// batch, counted from the papers the main thread had gathered when it handed over: the
// messages then end in the middle of the writer's transactions, and the warnings of lines
// after a transaction's last paper are said before that transaction is committed.

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-review12c-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpusLine = (i: number) => paperLine(i, `abs ${i} ${'z'.repeat(3000)}`);

async function heard(file: string, handOverAfter: number | null): Promise<string[]> {
  const threading = handOverAfter === null ? null : { handOverAfter, handOff: 'never' as const };
  const said = await ingestHeard(file, 40, threading, {
    warning: warningHead,
    batch: committedCount,
  });
  return said.heard;
}

describe('warnings and commits, handed over mid-batch', () => {
  // The main thread hands over after its first, second… 256 KB chunk: each time in the
  // middle of a batch (every fifth line is broken).
  it.each([1, 262_145, 524_289, 786_433, 1_048_577])(
    'come in the same order as on one thread when no lines are handed back (after %i bytes)',
    async (handOverAfter) => {
      const lines = Array.from({ length: 600 }, (_, i) =>
        i % 5 === 3 ? '{"broken' : corpusLine(i),
      );
      const file = path.join(dir, 'mixed.jsonl');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const one = await heard(file, null);
      const two = await heard(file, handOverAfter);
      expect(two.filter((s) => s.startsWith('line'))).toEqual(
        one.filter((s) => s.startsWith('line')),
      );
      expect(two).toEqual(one);
    },
  );
});
