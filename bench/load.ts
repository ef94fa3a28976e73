import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type FakeDiscord, startFakeDiscord } from '../test/fakes/discord/fake-discord.js';
import { sendCommand } from '../test/fakes/discord/interactions.js';
import { type FakeSlack, startFakeSlack } from '../test/fakes/slack/fake-slack.js';
import { slashCommandBody } from '../test/fakes/slack/signed-request.js';
import { benchCorpusFile, loadBenchCorpus, seededRandom } from './corpus.js';
import { startIdleProbe } from './idle-probe.js';
import { type LatencySummary, latencySummary } from './latency.js';
import {
  freePort,
  ingestInChild,
  listenOverflows,
  processCpuSeconds,
  processMemory,
  runQueueWaitSeconds,
  startBotProcess,
} from './load-bot.js';
import { writeBenchResults } from './results.js';

const PAPERS = 100_000;
const CONCURRENT = 1_000;
const LIMIT_MS = 3_000;
const SECRET = 'bench-signing-secret';
/** Long enough for a queue of 1,000 to drain; anything still unanswered then is lost. */
const GIVE_UP_MS = 120_000;

type Command = { name: 'search' | 'show' | 'latest'; options: Record<string, string | number> };

/** Word searches, title-fragment shows and `latest`, seeded. */
function commandMix(titles: string[], n: number, seed: number): Command[] {
  const random = seededRandom(seed);
  const words = titles.flatMap((t) => t.split(/\s+/).filter((w) => /^[A-Za-z]{5,}$/.test(w)));
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: n }, (_, i): Command => {
    if (i % 10 === 4) return { name: 'latest', options: { count: 5 } };
    if (i % 2 === 0)
      return { name: 'search', options: { query: `${pick(words)} ${pick(words)}`.toLowerCase() } };
    return { name: 'show', options: { paper: pick(titles).split(/\s+/).slice(0, 4).join(' ') } };
  });
}

function slackText(command: Command): string {
  if (command.name === 'latest') return `latest ${command.options.count}`;
  return `${command.name} ${Object.values(command.options).join(' ')}`;
}

interface PlatformRun {
  /** ms to the platform's first answer (Discord: callback; Slack: the HTTP ack). */
  first: LatencySummary;
  /** ms to the full answer (Discord: reply or edit after defer; Slack: response_url body). */
  answer: LatencySummary;
  answered: number;
  lost: number;
  late: number;
  deferred: number;
  wallMs: number;
  throughputPerSecond: number;
}

function summarise(first: number[], answer: number[], wallMs: number, extra = 0): PlatformRun {
  return {
    first: latencySummary(first),
    answer: latencySummary(answer),
    answered: answer.length,
    lost: CONCURRENT - answer.length,
    late: first.filter((ms) => ms > LIMIT_MS).length,
    deferred: extra,
    wallMs: Math.round(wallMs),
    throughputPerSecond: Math.round((answer.length / wallMs) * 1000 * 10) / 10,
  };
}

/** 1,000 `/papers` interactions dispatched at once on the gateway. */
async function discordLoad(fake: FakeDiscord, commands: Command[]): Promise<PlatformRun> {
  const sentAt = new Map<string, number>();
  const first = new Map<string, number>();
  const answer = new Map<string, number>();
  let deferred = 0;
  const start = performance.now();
  const done = fake
    .waitFor((r) => {
      const token = /^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/.exec(r.path)?.[1];
      const at = token ? sentAt.get(token) : undefined;
      if (token && at !== undefined) {
        const now = performance.now() - at;
        if (r.path.endsWith('/callback')) {
          first.set(token, now);
          if (r.body?.type === 5) deferred++;
          else answer.set(token, now);
        } else if (!answer.has(token)) answer.set(token, now);
      }
      return answer.size === commands.length;
    }, GIVE_UP_MS)
    .catch(() => null);
  for (const command of commands) {
    const sent = sendCommand(fake, command.name, command.options);
    sentAt.set(sent.token, performance.now());
  }
  await done;
  return summarise([...first.values()], [...answer.values()], performance.now() - start, deferred);
}

/** Epoch ms on this machine's clock, comparable between processes. */
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * 1,000 signed slash-command POSTs in flight at once, sent and timed by a client process of
 * their own (bench/slack-client.ts); this process only receives the response_url answers.
 */
async function slackLoad(fake: FakeSlack, port: number, commands: Command[]): Promise<PlatformRun> {
  const answeredAt = new Map<string, number>();
  let seen = 0;
  const start = performance.now();
  const done = fake
    .waitFor(() => {
      for (; seen < fake.responses.length; seen++) {
        const response = fake.responses[seen];
        if (response && !answeredAt.has(response.id)) answeredAt.set(response.id, epochNow());
      }
      return answeredAt.size === commands.length;
    }, GIVE_UP_MS)
    .catch(() => null);
  const bodies = commands.map((command, i) => ({
    id: `load-${i}`,
    body: slashCommandBody({
      text: slackText(command),
      responseUrl: fake.responseUrl(`load-${i}`),
    }),
  }));
  const client = spawn(process.execPath, ['--import', 'tsx', 'bench/slack-client.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  client.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = once(client, 'exit');
  client.stdin.end(
    JSON.stringify({ url: `http://127.0.0.1:${port}/slack/events`, secret: SECRET, bodies }),
  );
  await exited;
  await done;
  const wallMs = performance.now() - start;
  const { acks } = JSON.parse(output) as {
    acks: Array<{ id: string; sentAt: number; ms: number | null }>;
  };
  const sentAt = new Map(acks.map((a) => [a.id, a.sentAt]));
  const answers = [...answeredAt].map(([id, at]) => at - (sentAt.get(id) ?? at));
  return summarise(
    acks.flatMap((a) => (a.ms === null ? [] : [a.ms])),
    answers,
    wallMs,
  );
}

/** Megabytes of one of prom-client's default process gauges. */
function gaugeMb(text: string, name: string): number {
  const value = Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return Math.round(value / 1048576);
}

/** Where the bot's memory is, from its own /metrics: resident, V8 heap, and outside V8. */
async function memoryAt(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return {
    rss: gaugeMb(text, 'process_resident_memory_bytes'),
    heapTotal: gaugeMb(text, 'nodejs_heap_size_total_bytes'),
    heapUsed: gaugeMb(text, 'nodejs_heap_size_used_bytes'),
    external: gaugeMb(text, 'nodejs_external_memory_bytes'),
    newSpace: gaugeMb(text, 'nodejs_heap_space_size_total_bytes\\{space="new"\\}'),
    oldSpace: gaugeMb(text, 'nodejs_heap_space_size_total_bytes\\{space="old"\\}'),
  };
}

/** Samples the bot's memory every second; keeps the sample with the highest RSS. */
function watchPeak(port: number) {
  let peak: Record<string, number> = { rss: 0 };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    memoryAt(port)
      .then((m) => {
        if ((m.rss ?? 0) > (peak.rss ?? 0)) peak = m;
      })
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

async function scrape(
  port: number,
): Promise<{ commandsCounted: number; eventLoopLagP99Ms: number; papersStored: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const commands = [...text.matchAll(/^paperboy_commands_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
  return {
    commandsCounted: commands,
    eventLoopLagP99Ms: Math.round(value('nodejs_eventloop_lag_p99_seconds') * 1000 * 10) / 10,
    papersStored: value('paperboy_papers_stored'),
  };
}

function row(name: string, run: PlatformRun): string {
  const f = (n: number) => String(n).padStart(9);
  return `${name.padEnd(26)}${f(run.answered)}${f(run.lost)}${f(run.late)}${f(run.first.p95)}${f(run.first.p99)}${f(run.answer.p95)}${f(run.answer.p99)}${f(run.throughputPerSecond)}\n`;
}

/** CPU seconds the bot and this process (the fakes and the client) used per lap, and the wall time. */
function cpuWatch(pid: number) {
  const read = () => ({
    at: performance.now(),
    bot: processCpuSeconds(pid),
    botWaiting: runQueueWaitSeconds(pid),
    bench: process.cpuUsage(),
  });
  let last = read();
  return {
    lap() {
      const now = read();
      const bench = process.cpuUsage(last.bench);
      const lap = {
        wallSeconds: Math.round((now.at - last.at) / 100) / 10,
        botSeconds: Math.round((now.bot - last.bot) * 10) / 10,
        botWaitingForCpuSeconds: Math.round((now.botWaiting - last.botWaiting) * 10) / 10,
        benchSeconds: Math.round((bench.user + bench.system) / 1e5) / 10,
      };
      last = now;
      return lap;
    },
  };
}

/** `npm run bench -- load`: the real bot process at 100,000 papers under 1,000 concurrent commands per platform. */
export async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-load-'));
  const discord = await startFakeDiscord();
  const slack = await startFakeSlack();
  let bot: Awaited<ReturnType<typeof startBotProcess>> | null = null;
  try {
    const corpus = await benchCorpusFile(PAPERS);
    const ingestMs = await ingestInChild(dataDir, corpus);
    const titles = (await loadBenchCorpus(PAPERS)).map((e) => e.title);
    const slackPort = await freePort();
    const metricsPort = await freePort();
    // Start-up with the archive catch-up, then the load (as the issue reads): the catch-up of
    // 100,000 rows another process wrote runs in the search worker until it logs this line.
    bot = await startBotProcess(
      dataDir,
      {
        // The real token shape: config refuses anything else at start-up.
        DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.bench-discord-token-0123456789',
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        SLACK_BOT_TOKEN: 'xoxb-bench-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(slackPort),
        PAPERBOY_METRICS_PORT: String(metricsPort),
      },
      ['search archive caught up'],
    );
    const pid = bot.child.pid as number;
    const readyMs = bot.readyMs;
    const atReady = processMemory(pid);
    const stages = { atReady: await memoryAt(metricsPort) } as Record<
      string,
      Record<string, number>
    >;
    const peakWatch = watchPeak(metricsPort);
    const overflowsBefore = listenOverflows();
    const probe = await startIdleProbe();
    const cpu = cpuWatch(pid);
    const discordRun = await discordLoad(discord, commandMix(titles, CONCURRENT, 7));
    const discordCpu = cpu.lap();
    stages.afterDiscord = await memoryAt(metricsPort);
    const slackRun = await slackLoad(slack, slackPort, commandMix(titles, CONCURRENT, 11));
    const slackCpu = cpu.lap();
    const floor = await probe.stop();
    const overflows = listenOverflows() - overflowsBefore;
    const atEnd = processMemory(pid);
    stages.afterSlack = await memoryAt(metricsPort);
    stages.sampledPeak = peakWatch.stop();
    const metrics = { ...(await scrape(metricsPort)), rateLimitWaits: bot.rateLimitWaits() };
    const exitCode = await bot.stop();
    bot = null;

    const out = process.stdout;
    out.write(
      `Load: ${CONCURRENT} concurrent /papers per platform, real bot process at ${PAPERS.toLocaleString('en-US')} papers\n`,
    );
    out.write(
      `ingest (another process): ${(ingestMs / 1000).toFixed(1)} s; bot start-up until both ` +
        `platforms connected and the archive caught up: ${(readyMs / 1000).toFixed(1)} s\n`,
    );
    out.write(
      `${'platform'.padEnd(26)}${'answered'.padStart(9)}${'lost'.padStart(9)}${'>3s'.padStart(9)}${'1st p95'.padStart(9)}${'1st p99'.padStart(9)}${'ans p95'.padStart(9)}${'ans p99'.padStart(9)}${'per s'.padStart(9)}\n`,
    );
    out.write(row('Discord (gateway → REST)', discordRun));
    out.write(row('Slack (HTTP → respond)', slackRun));
    for (const [name, c] of [
      ['Discord', discordCpu],
      ['Slack', slackCpu],
    ] as const)
      out.write(
        `${name} burst: ${c.wallSeconds} s wall; CPU used: bot ${c.botSeconds} s, bench (fakes + client) ${c.benchSeconds} s; the bot's event loop waited ${c.botWaitingForCpuSeconds} s for a CPU\n`,
      );
    out.write(
      `idle process beside it: event-loop delay p50 ${floor.p50} ms, p99 ${floor.p99} ms, max ${floor.max} ms; load average ${os.loadavg()[0]?.toFixed(1)} (2 cores)\n`,
    );
    out.write(
      `TCP listen-backlog overflows on this machine during the load: ${overflows} (each a handshake retried 1-3 s later)\n`,
    );
    out.write(
      `bot RSS: ${atReady.rssMb.toFixed(0)} MB at ready (peak so far ${atReady.peakMb.toFixed(0)} MB), ` +
        `${atEnd.rssMb.toFixed(0)} MB after the load; peak ${atEnd.peakMb.toFixed(0)} MB (target ≤ 250 MB: ${atEnd.peakMb <= 250 ? 'met' : 'NOT met'})\n`,
    );
    for (const [stage, m] of Object.entries(stages))
      out.write(
        `  ${stage.padEnd(13)} RSS ${m.rss} MB: V8 heap ${m.heapUsed} used of ${m.heapTotal} (new ${m.newSpace}, old ${m.oldSpace}), external ${m.external}, the rest native (SQLite, buffers)\n`,
      );
    out.write(
      `metrics: ${metrics.commandsCounted} commands counted, papers ${metrics.papersStored}, event-loop lag p99 ${metrics.eventLoopLagP99Ms} ms, ${metrics.rateLimitWaits} Discord rate-limit waits; bot exit code ${exitCode}\n`,
    );
    const none = (r: PlatformRun) => r.lost === 0 && r.late === 0;
    writeBenchResults('load', {
      papers: PAPERS,
      concurrent: CONCURRENT,
      ingestSeconds: Math.round(ingestMs / 100) / 10,
      startupSeconds: Math.round(readyMs / 100) / 10,
      discord: discordRun,
      slack: slackRun,
      botRssMb: {
        atReady: Math.round(atReady.rssMb),
        peakAtReady: Math.round(atReady.peakMb),
        afterLoad: Math.round(atEnd.rssMb),
        peak: Math.round(atEnd.peakMb),
        stages,
      },
      metrics,
      listenOverflows: overflows,
      cpuSeconds: { discord: discordCpu, slack: slackCpu },
      idleProcessDelayMs: floor,
      loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
      targets: { lost: 0, answeredPast3s: 0, peakRssMb: 250 },
      met: { discord: none(discordRun), slack: none(slackRun), peakRss: atEnd.peakMb <= 250 },
      node: process.version,
      cpus: os.cpus().length,
      measuredAt: new Date().toISOString(),
    });
  } finally {
    await bot?.stop();
    await discord.close();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
