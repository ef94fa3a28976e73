import { performance } from 'node:perf_hooks';
import { renderText } from '../src/adapters/shell/render-text.js';
import { createBot } from '../src/app.js';
import { runCommand } from '../src/commands/dispatch.js';
import { parseCommandText } from '../src/commands/parse-text.js';
import { loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { PaperSearch } from '../src/core/search/types.js';
import { SHELL_CHANNEL } from '../src/core/store/store.js';
import { latencySummary } from './latency.js';
import { writeBenchResults } from './results.js';

const ROUNDS = 200;
const WARMUP_ROUNDS = 20;
const TARGET_P95_MS = 1;

/** Text commands as users type them; each round runs all of them once. */
const MIX = [
  'search robotics',
  'search "robot learning" since:2023-01-01 page:2',
  'search diffusion author:Chen',
  'show CycleQD',
  'show skill',
  '/papers show qwzxv',
  'latest',
  'latest 25',
  'subscribe reinforcement learning',
  'unsubscribe reinforcement learning',
  'subscriptions',
  'schedule 08:30 Europe/Berlin weekdays 5',
  'schedule 25:99 Mars/Base',
  'digest',
  'help',
  'help schedule',
  'latest 99',
  'frobnicate',
];

/**
 * Answers every call from results the real search computed once: the bench measures the
 * command layer (parse, validate, handler, store reads, render), not the search itself.
 */
function precomputed(real: PaperSearch): PaperSearch {
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, compute: () => T): T => {
    if (!memo.has(key)) memo.set(key, compute());
    return memo.get(key) as T;
  };
  return {
    search: (q, o) => once(`s${q}${JSON.stringify(o)}`, async () => await real.search(q, o)),
    resolve: (t) => once(`r${t}`, async () => await real.resolve(t)),
    suggest: (p, l) => once(`g${p}${l}`, async () => await real.suggest(p, l)),
    matchTopic: (t, ids) => once(`m${t}${ids.join()}`, async () => await real.matchTopic(t, ids)),
    countTopicMatches: (t, s) =>
      once(`c${t}${s.toISOString()}`, async () => await real.countTopicMatches(t, s)),
    refresh: async () => await real.refresh(),
    close: async () => await real.close(),
  };
}

/** `npm run bench -- commands`: command overhead on the bundled sample, search precomputed. */
export async function run(): Promise<void> {
  const config = loadConfig({ env: {}, rootDir: process.cwd() });
  const clock = manualClock('2025-12-12T12:00:00.000Z');
  const bot = await createBot({ config, clock, logger: silentLogger(), dataDir: ':memory:' });
  const search = precomputed(bot.search);
  const ctx = {
    ...bot.contextFor(SHELL_CHANNEL, { id: 'bench', canManageChannel: true }, 'terminal user'),
    search,
  };

  const byCommand = new Map<string, number[]>();
  const all: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const text of MIX) {
      const started = performance.now();
      const call = parseCommandText(text);
      const reply = 'kind' in call ? call : await runCommand(call, ctx);
      const rendered = renderText(reply, { color: false });
      const elapsed = performance.now() - started;
      if (rendered.length === 0) throw new Error(`empty output for ${text}`);
      if (round < WARMUP_ROUNDS) continue;
      all.push(elapsed);
      const samples = byCommand.get(text) ?? [];
      samples.push(elapsed);
      byCommand.set(text, samples);
    }
  }
  await bot.close();

  const rows = [...byCommand].map(([text, samples]) => ({
    command: text,
    ...latencySummary(samples, 3),
  }));
  console.table(rows);
  const overall = latencySummary(all, 3);
  console.log(
    `commands: ${all.length} runs, p50 ${overall.p50} ms, p95 ${overall.p95} ms, max ${overall.max} ms ` +
      `(target p95 <= ${TARGET_P95_MS} ms: ${overall.p95 <= TARGET_P95_MS ? 'met' : 'NOT met'})`,
  );
  writeBenchResults('commands', {
    runs: all.length,
    p50Ms: overall.p50,
    p95Ms: overall.p95,
    maxMs: overall.max,
    targetP95Ms: TARGET_P95_MS,
    worstCommandP95: rows.reduce((worst, row) => (row.p95 > worst.p95 ? row : worst)),
    node: process.version,
    measuredAt: new Date().toISOString(),
  });
}
