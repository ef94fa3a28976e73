import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLinesReader } from '../../src/core/json-lines-reader.js';
import { ParsingThread } from '../../src/core/json-lines-thread.js';

// A parsing thread that stops early says "after N batches had been handed over; those
// reported committed are stored". Since e0c5fca a message holds an eighth of a batch and
// `taken` counts messages: the user, who saw "committed 16" (one batch of 16), is told that
// 8 batches had been handed over.

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-review12c-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = '2026-10-01T12:00:00.000Z';

function corpusLine(i: number): string {
  return JSON.stringify({
    id: `2501.${String(i).padStart(5, '0')}`,
    title: `Paper ${i}`,
    authors: ['Ada Lovelace'],
    abstract: `Abstract ${i}.`,
    categories: ['cs.RO'],
    date: '2026-01-02',
  });
}

/**
 * Takes what is left until the batches end with an error (the file is longer than that):
 * the error and the papers taken meanwhile.
 */
async function drainToError(
  batches: AsyncGenerator<{ papers: unknown[] }, unknown>,
): Promise<{ error: Error; papers: number }> {
  let papers = 0;
  for (;;) {
    const next = await batches.next().catch((e: Error) => e);
    if (next instanceof Error) return { error: next, papers };
    if (next.done) throw new Error('the batches ended without an error');
    papers += next.value.papers.length;
  }
}

describe('a parsing thread stopped mid-way', () => {
  it('counts the papers handed over, not the messages', async () => {
    const batchSize = 16;
    const file = path.join(dir, 'stop.jsonl');
    writeFileSync(file, `${Array.from({ length: 200 }, (_, i) => corpusLine(i)).join('\n')}\n`);
    const fd = openSync(file, 'r');
    const thread = new ParsingThread({
      file,
      fd,
      gzip: false,
      fetchedAt: NOW,
      batchSize,
      handOff: 'never',
    });
    try {
      await thread.whenReady();
      const batches = thread.batches(new JsonLinesReader({ fetchedAt: NOW, batchSize }).handOver());
      let papers = 0;
      while (papers < batchSize) {
        const next = await batches.next();
        if (next.done) throw new Error('the file ended first');
        papers += next.value.papers.length;
      }
      // Exactly one batch's papers handed over, then the thread ends.
      expect(papers).toBe(batchSize);
      await thread.stop();
      // Messages already posted may still come; then the stop is said, with every paper
      // handed over (fixed: it counted messages as batches).
      const drained = await drainToError(batches);
      const said = Number(drained.error.message.match(/after (\d+) papers/)?.[1]);
      expect(said).toBe(papers + drained.papers);
    } finally {
      await thread.stop();
      closeSync(fd);
    }
  });
});
