import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { childEnv, finished } from '../live/child-process.js';

// Issue 12: "Per-item warnings counted and summarised at the end of `npm run ingest`". The
// summary sorts warnings into "items skipped" and "fields not understood": a warning must be
// counted by what happened, not by the words of the paper's title, and a cut-off download is
// neither a field nor an item.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');

function runIngest(file: string, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ingest.ts', file], {
    env: childEnv({ PAPERBOY_DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return finished(child);
}

describe('review12b: the warning summary of npm run ingest', () => {
  it('an item stored with a date not understood is not counted as skipped because of its title', async () => {
    const file = path.join(dir, 'titles.rss.xml');
    writeFileSync(
      file,
      `<?xml version="1.0"?>
<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>cs.CV updates on arXiv.org</title><lastBuildDate>Fri, 18 Oct 2024 04:00:00 -0400</lastBuildDate>
<item>
  <title>Video Models Learn from skipped Frames</title>
  <link>https://arxiv.org/abs/2410.14735</link>
  <description>arXiv:2410.14735v1 Announce Type: new
Abstract: An abstract.</description>
  <guid isPermaLink="false">oai:arXiv.org:2410.14735v1</guid>
  <pubDate>sometime in October</pubDate>
  <arxiv:announce_type>new</arxiv:announce_type>
  <dc:creator>Jane Doe</dc:creator>
</item>
</channel></rss>
`,
    );
    const store = SqliteStore.open(':memory:');
    try {
      const summary = await ingestFile({ store, file, now: () => NOW });
      expect(summary.added).toBe(1);
      expect(summary.warningCount).toBe(1);
      // Stored: the CLI must not print "skipped 1" / "1 items skipped" for it.
      expect(summary.skipped).toBe(0);
    } finally {
      store.close();
    }
  });

  it('a cut-off gzip download is not reported as a field not understood', async () => {
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({
        id: `2501.${String(i).padStart(5, '0')}`,
        title: `Paper ${i}`,
        abstract: `Abstract number ${i}, with some words to make it longer ${'x'.repeat(i % 50)}.`,
        date: '2026-01-02',
      }),
    );
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const file = path.join(dir, 'cut.jsonl.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const result = await runIngest(file, path.join(dir, 'data-cut'));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: the gzip data ends early (the download was cut off?): what came before was read',
    );
    const summaryLine = result.stderr.trimEnd().split('\n').at(-1);
    expect(summaryLine).toMatch(/^2 warnings \(/);
    expect(summaryLine).not.toMatch(/fields? not understood/);
  });
});
