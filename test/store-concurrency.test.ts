import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/app.js';
import { runCommand } from '../src/commands/dispatch.js';
import { loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import type { Posters } from '../src/core/digest/run.js';
import { createLogger } from '../src/core/logger.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { startLive, type TickSummary } from '../src/runtime/live.js';
import { CORPUS } from './core/search/corpus-slice.js';
import { record } from './core/store/records.js';
import { FakePlatform } from './fakes/platform-poster.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-two-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first `n` lines of the shared corpus, as a JSON Lines file `npm run ingest` reads. */
async function corpusHead(n: number): Promise<{ file: string; titles: string[] }> {
  const lines: string[] = [];
  const input = createReadStream(CORPUS).pipe(createGunzip());
  const reader = createInterface({ input });
  for await (const line of reader) {
    if (line.trim()) lines.push(line);
    if (lines.length >= n) break;
  }
  reader.close();
  input.destroy();
  const file = path.join(dir, 'slice.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const titles = lines.map((l) => String((JSON.parse(l) as { title: string }).title));
  return { file, titles };
}

/** `npm run ingest` as package.json runs it (node + tsx), against the bot's data folder. */
function ingest(file: string, dataDir: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)) env[key] = value;
  env.PAPERBOY_DATA_DIR = dataDir;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/ingest.ts', file, '--batch-size', '50'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  return { exited, output: () => output, running: () => child.exitCode === null };
}

describe('two processes, one store file', () => {
  it('npm run ingest beside a bot serving commands and a digest: no failed write, papers searchable, ticks survive', async () => {
    const dataDir = path.join(dir, 'data');
    const { file, titles } = await corpusHead(3000);
    const base = loadConfig({ env: {}, rootDir: ROOT });
    const config = {
      ...base,
      sources: {
        ...base.sources,
        huggingface: { ...base.sources.huggingface, enabled: false },
        arxiv: { ...base.sources.arxiv, enabled: false },
      },
    };
    const clock = manualClock('2025-12-12T08:58:00Z');
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const bot = await createBot({ config, clock, logger, dataDir, sampleFile: null });
    const platform = new FakePlatform();
    const ticks: TickSummary[] = [];
    const live = startLive({
      config,
      store: bot.store,
      search: bot.search,
      adapters: new Map([['fake', platform]]) as Posters,
      clock,
      logger,
      ticker: () => ({ stop() {} }),
      onTickDone: (summary) => ticks.push(summary),
    });
    const channel: ChannelRef = { platform: 'fake', workspace: 'w', channel: 'digest' };
    const ctx = (c: ChannelRef) =>
      bot.contextFor(c, { id: 'U1', canManageChannel: true }, 'Manage');
    const setup = [
      await runCommand({ name: 'subscribe', options: { topic: 'robot grasping' } }, ctx(channel)),
      await runCommand(
        { name: 'schedule', options: { time: '09:00', timezone: 'UTC' } },
        ctx(channel),
      ),
    ];
    expect(setup.map((r) => r.kind)).not.toContain('error');

    const child = ingest(file, dataDir);
    const failures: string[] = [];
    let whileIngesting = 0;
    let round = 0;
    while (child.running()) {
      round++;
      const place: ChannelRef = { platform: 'fake', workspace: 'w', channel: `c${round % 7}` };
      // Read-then-write transactions (subscribe: channel row + subscription) and plain reads.
      for (const call of [
        { name: 'subscribe', options: { topic: `robot grasping ${round % 5}` } },
        { name: 'search', options: { query: 'reinforcement learning' } },
        { name: 'unsubscribe', options: { topic: `robot grasping ${round % 5}` } },
      ]) {
        const reply = await runCommand(call, ctx(place));
        if (reply.kind === 'error') failures.push(`${call.name}: ${reply.message}`);
      }
      // A feed delivering a fresh paper, written by the bot while the ingest writes.
      await bot.store.upsertPapers(
        [
          record({
            arxivId: `2512.${String(10000 + round).slice(-5)}`,
            title: `Robot grasping with tactile feedback, run ${round}`,
            abstract: 'Robot grasping of unknown objects with tactile sensing.',
            publishedAt: '2025-12-11',
            observedAt: clock.now().toISOString(),
          }),
        ],
        clock.now(),
      );
      if (round % 10 === 1) await live.tick();
      if (child.running()) whileIngesting++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const code = await child.exited;
    expect(code, child.output()).toBe(0);
    expect(child.output()).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(whileIngesting).toBeGreaterThan(0);
    expect(failures).toEqual([]);

    // The digest comes due and runs after the ingest: its tick survives and posts.
    clock.set('2025-12-12T09:01:00Z');
    await live.tick();
    expect(ticks.length).toBeGreaterThan(1);
    expect(platform.in(channel).map((m) => m.kind)).toContain('digest');
    const errors = lines.filter((l) => /"level":(50|60)/.test(l));
    expect(errors).toEqual([]);

    // The other process's papers are searchable in this one.
    const wanted = titles[titles.length - 1] as string;
    const found = await bot.search.search(wanted.split(/\s+/).slice(0, 8).join(' '), {
      pageSize: 20,
    });
    expect(found.hits.map((h) => h.paper.title.toLowerCase())).toContain(
      wanted.replace(/\s+/g, ' ').trim().toLowerCase(),
    );
    await live.stop();
    await bot.close();
  }, 180_000);
});
