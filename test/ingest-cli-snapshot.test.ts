import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  arxivCategories,
  realCorpusHead,
  writeSnapshotFile,
} from '../bench/ingest-snapshot-corpus.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import { cleanFeedText } from '../src/core/text/clean-text.js';
import { finished } from './live/child-process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, args: string[], dataDir: string, stdin?: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)) env[key] = value;
  }
  env.PAPERBOY_DATA_DIR = dataDir;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(stdin ?? '');
  return finished(child);
}

describe('npm run ingest of a 2,000-line arXiv metadata snapshot', () => {
  it('stores every field, show prints the real date and authors, re-ingest changes nothing', async () => {
    const entries = await realCorpusHead(2000);
    expect(entries).toHaveLength(2000);
    const file = path.join(dir, 'arxiv-metadata-oai-snapshot.json');
    writeSnapshotFile(file, entries);
    const dataDir = path.join(dir, 'data');

    const first = await run('src/ingest.ts', [file], dataDir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /\(arxiv-snapshot\): new 2000, updated 0, unchanged 0, skipped 0, warnings 0\n$/,
    );

    const store = SqliteStore.open(storeFile(dataDir));
    try {
      entries.forEach((entry, i) => {
        const paper = store.getPaper(entry.id);
        expect(paper, entry.id).toMatchObject({
          title: cleanFeedText(entry.title),
          abstract: cleanFeedText(entry.abstract),
          authors: entry.authors.map((text) => cleanFeedText(text)),
          authorCount: entry.authors.length || null,
          categories: arxivCategories(entry),
          publishedAt: entry.date,
          comment: entry.comment === null ? null : cleanFeedText(entry.comment),
          version: i % 3 === 0 ? 2 : 1,
          sources: ['arxiv-snapshot'],
          observedAt: `${entry.date}T00:00:00.000Z`,
        });
      });
    } finally {
      store.close();
    }

    const sample = entries[7]!;
    const shown = await run('src/main.ts', [], dataDir, `show ${sample.id}\n`);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Date:         ${sample.date}`);
    expect(shown.stdout).toContain(`Authors:      ${cleanFeedText(sample.authors[0]!)}`);
    expect(shown.stdout).not.toContain('1970-01-01');

    const again = await run('src/ingest.ts', [file], dataDir);
    expect(again.stdout).toMatch(/new 0, updated 0, unchanged 2000, skipped 0/);
  }, 120_000);
});

describe('npm run ingest: warnings are counted and summarised', () => {
  const good = (i: number) =>
    JSON.stringify({
      id: `2501.0000${i}`,
      title: `Paper ${i}`,
      authors: 'A. Author',
      abstract: 'Text.',
      categories: 'cs.AI',
      versions: [{ version: 'v1', created: 'Mon, 6 Jan 2025 10:00:00 GMT' }],
      update_date: '2025-01-06',
      authors_parsed: [['Author', 'A.', '']],
    });
  const lines = [good(1), ...Array.from({ length: 7 }, (_, i) => `{"broken ${i}`), good(2)];

  it('shows the first five and a count, or every one with --verbose', async () => {
    const file = path.join(dir, 'bad-lines.json');
    writeFileSync(file, `${lines.join('\n')}\n{"versions": [], "title": "No id"}\n`);
    const quiet = await run('src/ingest.ts', [file], path.join(dir, 'quiet'));
    expect(quiet.code).toBe(0);
    expect(quiet.stderr.match(/^warning: /gm)).toHaveLength(5);
    expect(quiet.stderr).toContain('warning: line 2: skipped, not valid JSON');
    expect(quiet.stderr).toContain(
      '8 warnings (8 items skipped); first 5 shown, --verbose for all',
    );
    expect(quiet.stdout).toMatch(/new 2, updated 0, unchanged 0, skipped 8, warnings 8\n$/);

    const verbose = await run('src/ingest.ts', [file, '--verbose'], path.join(dir, 'verbose'));
    expect(verbose.stderr.match(/^warning: /gm)).toHaveLength(8);
    expect(verbose.stderr).toContain('warning: line 10 "No id": skipped, its id null');
    expect(verbose.stderr).toContain('8 warnings (8 items skipped)\n');
  }, 60_000);

  it('names what it saw in a file it cannot read', async () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, '{"name":"paperboy","version":"1.0.0"}\n');
    const bad = await run('src/ingest.ts', [file], path.join(dir, 'other'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `${file} is not in a format Paperboy reads: found JSON whose first line has the keys name, version`,
    );
  }, 60_000);
});
