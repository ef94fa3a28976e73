import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import { createDiscordAdapter } from '../src/adapters/discord/discord-adapter.js';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { startFakeDiscord } from '../test/fakes/discord/fake-discord.js';
import { sendCommand } from '../test/fakes/discord/interactions.js';
import { REAL_CORPUS, seededRandom } from './corpus.js';
import { loopDelayMs, startIdleProbe } from './idle-probe.js';
import { type LatencySummary, latencySummary } from './latency.js';
import { runQueueWaitSeconds } from './load-bot.js';
import { writeBenchResults } from './results.js';

/** A command every this many ms while the other process ingests (a busy server's rate). */
const PACE_MS = 100;
const QUERIES = ['robot grasping', 'diffusion models', 'graph neural networks', 'CycleQD', 'llm'];

/** `npm run ingest` of the whole shared corpus (~47k papers) into `dataDir`, as its own process. */
function ingestAll(dataDir: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(DISCORD|SLACK)_/.test(k)) env[k] = v;
  env.PAPERBOY_DATA_DIR = dataDir;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ingest.ts', REAL_CORPUS], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { exited, running: () => child.exitCode === null, stderr: () => stderr };
}

/**
 * `npm run bench -- loop`: the bot's event loop while another process ingests the shared
 * corpus into the same file and the bot catches up (refresh each "tick", then once more
 * after the ingest): monitorEventLoopDelay percentiles, and how long Discord waited for the first
 * answer to each interaction (the 3 s limit) and for the final one.
 */
export async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-loop-'));
  const config = loadConfig({ env: {}, rootDir: process.cwd() });
  const logger = silentLogger();
  const bot = await createBot({ config, clock: systemClock, logger, dataDir });
  const fake = await startFakeDiscord();
  const adapter = createDiscordAdapter({
    secrets: {
      token: 'bench-token',
      applicationId: fake.applicationId,
      guildId: null,
      apiUrl: fake.apiUrl,
    },
    config,
    bot,
    clock: systemClock,
    logger,
  });
  await adapter.start();
  const first: number[] = [];
  const final: number[] = [];
  /** Interactions never answered (a timeout at the fake), with why. */
  const lost: string[] = [];
  const pending: Array<Promise<void>> = [];
  const random = seededRandom(47);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  const probe = await startIdleProbe();
  const waitedBefore = runQueueWaitSeconds(process.pid);
  delay.enable();
  const ingest = ingestAll(dataDir);

  const ask = () => {
    const query = QUERIES[Math.floor(random() * QUERIES.length)] as string;
    const sent = sendCommand(fake, 'search', { query });
    const at = performance.now();
    const callback = `/interactions/${sent.id}/${sent.token}/callback`;
    // The answer edits the deferred original, or (ephemeral) follows up.
    const answered = (r: { method: string; path: string }) =>
      r.path.startsWith('/webhooks/') &&
      r.path.includes(sent.token) &&
      (r.method === 'PATCH' || r.method === 'POST');
    pending.push(
      (async () => {
        await fake.waitFor((r) => r.method === 'POST' && r.path === callback, 30_000);
        first.push(performance.now() - at);
        await fake.waitFor(answered, 30_000);
        final.push(performance.now() - at);
      })().catch((error: unknown) => {
        lost.push(String((error as Error)?.message ?? JSON.stringify(error)).slice(0, 200));
      }),
    );
  };

  let ticks = 0;
  let lastTick = performance.now();
  while (ingest.running()) {
    ask();
    // The scheduler's tick catches the search up with the other process's writes.
    if (performance.now() - lastTick > 5_000) {
      lastTick = performance.now();
      ticks++;
      await bot.search.refresh();
    }
    await wait(PACE_MS);
  }
  const ingestCode = await ingest.exited;
  const ingestSeconds = (performance.now() - started) / 1000;
  // The search catches up with everything the ingest wrote, with commands still coming.
  let rebuilding = true;
  const rebuilt = bot.search
    .refresh()
    .then(
      () => 'ok',
      (error: unknown) => `failed: ${(error as { code?: string }).code ?? String(error)}`,
    )
    .finally(() => {
      rebuilding = false;
    });
  while (rebuilding) {
    ask();
    await wait(PACE_MS);
  }
  const rebuildOutcome = await rebuilt;
  await Promise.all(pending);
  delay.disable();
  const floor = await probe.stop();
  const waitedForCpu = Math.round((runQueueWaitSeconds(process.pid) - waitedBefore) * 10) / 10;
  const measuredSeconds = Math.round((performance.now() - started) / 100) / 10;
  await adapter.stop();
  await bot.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });

  const loop = loopDelayMs(delay);
  const firstAnswer: LatencySummary = latencySummary(first);
  const finalAnswer: LatencySummary = latencySummary(final);
  const out = process.stdout;
  out.write(
    `Event loop while another process ingests the shared corpus (${ingestSeconds.toFixed(0)} s, exit ${ingestCode}) and the search catches up\n`,
  );
  out.write(`event-loop delay (ms)          p50 ${loop.p50}  p99 ${loop.p99}  max ${loop.max}\n`);
  out.write(
    `the bot's event loop waited ${waitedForCpu} s of ${measuredSeconds} s for a CPU (other processes)\n`,
  );
  out.write(
    `idle process beside it (ms)    p50 ${floor.p50}  p99 ${floor.p99}  max ${floor.max}  (the machine's own scheduling delay; load average ${os.loadavg()[0]?.toFixed(1)})\n`,
  );
  out.write(
    `first answer to Discord (ms)   p50 ${firstAnswer.p50}  p99 ${firstAnswer.p99}  max ${firstAnswer.max}\n`,
  );
  out.write(
    `final answer (ms)              p50 ${finalAnswer.p50}  p99 ${finalAnswer.p99}  max ${finalAnswer.max}\n`,
  );
  out.write(
    `${first.length} interactions, ${ticks} catch-up ticks; targets: loop p99 ≤ 50 ms (${loop.p99 <= 50 ? 'met' : 'NOT met'}), every first answer < 3 s (${firstAnswer.max < 3000 ? 'met' : 'NOT met'})\n`,
  );
  out.write(`search catch-up after the ingest: ${rebuildOutcome}\n`);
  if (lost.length > 0) out.write(`${lost.length} interactions lost, e.g. ${lost[0]}\n`);
  if (ingestCode !== 0) out.write(`ingest failed:\n${ingest.stderr()}\n`);
  writeBenchResults('loop', {
    ingestExit: ingestCode,
    ingestSeconds: Math.round(ingestSeconds),
    interactions: first.length,
    lost: lost.length,
    rebuild: rebuildOutcome,
    eventLoopDelayMs: loop,
    idleProcessDelayMs: floor,
    waitedForCpuSeconds: waitedForCpu,
    measuredSeconds,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
    firstAnswerMs: firstAnswer,
    finalAnswerMs: finalAnswer,
    targets: { loopP99Ms: 50, firstAnswerMaxMs: 3000 },
    met: loop.p99 <= 50 && firstAnswer.max < 3000 && lost.length === 0,
  });
}
