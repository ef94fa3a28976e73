import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HandOff } from '../../src/core/json-lines-thread.js';
import { ingestHeard } from '../core/ingest-heard.js';

// The parsing thread hands a quarter batch of raw lines back to the writer when the writer
// waits ('when-writer-waits', the default: timing decides where); 'alternately' fixes the
// places so a run is repeatable. Whatever the timing, `npm run ingest` of the same file must
// say the same thing: the same summary and a progress bar that never runs backwards.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-hand-back-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function line(i: number, abstract = `Abstract ${i}.`, version = ''): string {
  return JSON.stringify({
    id: `2501.${String(i).padStart(5, '0')}${version}`,
    title: `Paper ${i}`,
    authors: ['Ada Lovelace'],
    abstract,
    categories: ['cs.RO'],
    date: '2026-01-02',
  });
}

async function ingest(file: string, batchSize: number, handOff: HandOff | null) {
  const threading = handOff ? { handOverAfter: 0, handOff } : null;
  const { summary, heard } = await ingestHeard(file, batchSize, threading, {
    batch: (p) => String(p.bytesRead),
  });
  return { summary, bytesRead: heard.map(Number) };
}

describe('review12b: lines handed back to the writer', () => {
  it('the summary of a file with a paper listed twice does not depend on where batches end', async () => {
    // Line 15 is line 11's paper again, its v2 with the abstract corrected (a file concatenated
    // from two exports, say). Batches of 10: lines 11–20 are one batch on one thread; handed
    // back in quarter batches (11–13, 14–16, …) the two lines fall in different batches. Line
    // 18 is line 3's paper again: in another transaction whoever parses it.
    const lines = Array.from({ length: 20 }, (_, i) => line(i + 1));
    lines[14] = line(11, 'Abstract 11, corrected.', 'v2');
    lines[17] = line(3, 'Abstract 3, corrected.', 'v2');
    const file = path.join(dir, 'twice.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const one = await ingest(file, 10, null);
    const handedBack = await ingest(file, 10, 'alternately');
    // The same file into an empty store: the same "new …, updated …" line, whatever the timing.
    expect(one.summary).toMatchObject({ added: 18 });
    expect(handedBack.summary).toEqual(one.summary);
  });

  it('with --batch-size 1 the progress never goes back to 0 bytes read', async () => {
    const file = path.join(dir, 'progress.jsonl');
    writeFileSync(file, `${Array.from({ length: 12 }, (_, i) => line(i + 1)).join('\n')}\n`);
    const { bytesRead } = await ingest(file, 1, 'alternately');
    expect(bytesRead).toHaveLength(12);
    // Each committed batch reports the bytes read so far: the bar only moves forward.
    for (let i = 1; i < bytesRead.length; i++)
      expect(bytesRead[i], `batch ${i + 1} of ${bytesRead.join(', ')}`).toBeGreaterThanOrEqual(
        bytesRead[i - 1] as number,
      );
  });
});
