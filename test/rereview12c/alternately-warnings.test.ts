import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { committedCount, corpusLine, ingestHeard, warningHead } from '../core/ingest-heard.js';

// With lines handed back to the writer (`handOff: 'alternately'`, the deterministic mix of
// both paths), the thread's messages and the writer's unparsed parts are counted from zero
// after each hand-back, not from where the writer's transaction stands. When a broken line
// has shifted the paper count, a message spans a commit point, and a warning about a line
// after a transaction's last paper is said before that transaction's commit: with one thread
// it comes after it (`--verbose` prints them in that order).

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-rereview12c-alt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function heard(file: string, batchSize: number, threaded: boolean): Promise<string[]> {
  const threading = threaded ? { handOverAfter: 0, handOff: 'alternately' as const } : null;
  const { summary, heard } = await ingestHeard(file, batchSize, threading, {
    warning: warningHead,
    batch: committedCount,
  });
  return [...heard, `added ${summary.added}`];
}

describe("warnings and commits with lines handed back ('alternately')", () => {
  it.each([
    [1, 13],
    [2, 13],
    [3, 13],
    [7, 13],
    [9, 13],
    [16, 13],
    [16, 5],
    [40, 5],
    [2003, 13],
  ])(
    'come in the same order as on one thread (batch size %i, every %ith line broken)',
    async (size, every) => {
      // Broken lines: the paper count drifts from the line count.
      const lines = Array.from({ length: 5000 }, (_, i) =>
        i % every === 3 ? '{"broken' : corpusLine(i),
      );
      const file = path.join(dir, `alt-${size}-${every}.jsonl`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const one = await heard(file, size, false);
      const two = await heard(file, size, true);
      // The same warnings, the same commits: only their interleaving differs.
      expect([...two].sort()).toEqual([...one].sort());
      expect(two).toEqual(one);
    },
  );
});
