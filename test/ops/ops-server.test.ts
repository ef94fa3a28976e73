import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { SHELL_CHANNEL } from '../../src/core/store/store.js';
import { createCommandMetrics } from '../../src/ops/metrics.js';
import { serveOps } from '../../src/ops/serve-ops.js';
import { terminalShell } from './fixtures.js';

const NOW = '2025-12-12T12:00:00.000Z';

async function opsBot(connected: Record<string, boolean> = { shell: true }) {
  const clock = manualClock(NOW);
  const logger = silentLogger();
  const config = loadConfig({ env: {} });
  const metrics = createCommandMetrics();
  const bot = await createBot({
    config,
    clock,
    logger,
    dataDir: ':memory:',
    observeCommand: metrics.observeCommand,
  });
  const server = await serveOps({
    port: 0,
    host: '127.0.0.1',
    metrics,
    store: bot.store,
    config,
    clock,
    logger,
    platformsConnected: () => connected,
    digestRunsByState: async () => await bot.store.countDigestRunsByState(),
  });
  const base = `http://127.0.0.1:${server.port}`;
  return { bot, server, base, clock };
}

/** The value of one sample line, e.g. `paperboy_commands_total{subcommand="search",outcome="ok"}`. */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

describe('GET /metrics and /healthz', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function started(connected?: Record<string, boolean>) {
    const ops = await opsBot(connected);
    cleanup.push(async () => {
      await ops.server.close();
      await ops.bot.close();
    });
    return ops;
  }

  it('counts commands by subcommand and outcome from the terminal path, with their latency', async () => {
    const { bot, base } = await started();
    const shell = terminalShell(bot);
    await shell.runLine('search robotics');
    await shell.runLine('search learning');
    await shell.runLine('latest 0');
    // A call no parser produced still reaches the dispatcher: counted as `unknown`.
    await runCommand(
      { name: 'frobnicate', options: {} },
      bot.contextFor(SHELL_CHANNEL, { id: 'local', canManageChannel: true }, 'x'),
    );

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'paperboy_commands_total{subcommand="search",outcome="ok"}')).toBe(2);
    expect(
      sample(text, 'paperboy_commands_total{subcommand="latest",outcome="INPUT_INVALID"}'),
    ).toBe(1);
    expect(
      sample(text, 'paperboy_commands_total{subcommand="unknown",outcome="INPUT_INVALID"}'),
    ).toBe(1);
    expect(sample(text, 'paperboy_command_duration_seconds_count{subcommand="search"}')).toBe(2);
    expect(sample(text, 'paperboy_papers_stored')).toBe(await bot.store.countPapers());
    expect(await bot.store.countPapers()).toBeGreaterThan(0);
    expect(sample(text, 'paperboy_source_healthy{source="huggingface"}')).toBe(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  });

  it('reports source health and digest deliveries by state', async () => {
    const { bot, base } = await started();
    await bot.store.recordSourceRun({
      source: 'huggingface',
      startedAt: '2025-12-12T11:00:00.000Z',
      finishedAt: '2025-12-12T11:00:01.000Z',
      ok: false,
      fetched: 0,
      added: 0,
      messages: ['HTTP 503 from huggingface.co'],
    });
    const channel = { platform: 'fake' as const, workspace: 'w', channel: 'c' };
    await bot.store.setSchedule(
      channel,
      { time: '09:00', timeZone: 'UTC', days: 'every', size: 5 },
      new Date(NOW),
    );
    const run = (id: string, state: 'planned' | 'empty') => ({
      id,
      channel,
      digestDate: '2025-12-12',
      from: NOW,
      to: NOW,
      paperIds: [],
      note: null,
      createdAt: NOW,
      state,
      parts: [],
    });
    await bot.store.createDigestRun(run('r1', 'empty'));
    await bot.store.createDigestRun(run('r2', 'planned'));

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'paperboy_source_healthy{source="huggingface"}')).toBe(0);
    expect(sample(text, 'paperboy_digest_runs{state="empty"}')).toBe(1);
    expect(sample(text, 'paperboy_digest_runs{state="planned"}')).toBe(1);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { ok: boolean; problems: string[] };
    expect(body.ok).toBe(false);
    expect(body.problems).toEqual([
      'source huggingface: last run failed: HTTP 503 from huggingface.co',
    ]);
  });

  it('answers 200 when the store reads, sources are fresh and platforms are connected', async () => {
    const { base } = await started({ discord: true, slack: true });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      problems: [],
      platforms: { discord: true, slack: true },
    });
    expect(body.store).toMatchObject({ ok: true });
  });

  it('answers 503 naming a disconnected platform and a store that cannot be read', async () => {
    const { bot, base } = await started({ discord: true, slack: false });
    let response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { problems: string[] }).problems).toEqual([
      'platform slack: not connected',
    ]);

    await bot.store.close();
    response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { store: { ok: boolean }; problems: string[] };
    expect(body.store.ok).toBe(false);
    expect(body.problems[0]).toMatch(/^store: cannot be read/);
  });

  it('answers 404 elsewhere and 405 to anything but GET', async () => {
    const { base } = await started();
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('names the port when it is already in use', async () => {
    const first = await started();
    const port = Number(new URL(first.base).port);
    await expect(
      serveOps({
        port,
        host: '127.0.0.1',
        metrics: createCommandMetrics(),
        store: first.bot.store,
        config: loadConfig({ env: {} }),
        clock: first.clock,
        logger: silentLogger(),
        platformsConnected: () => ({}),
        digestRunsByState: async () => ({}),
      }),
    ).rejects.toThrow(`PAPERBOY_METRICS_PORT ${port} is already in use`);
  });
});

describe('PAPERBOY_METRICS_PORT', () => {
  it('is off when unset, a port when set, and a named error when not a port', () => {
    expect(loadConfig({ env: {} }).metricsPort).toBeNull();
    expect(loadConfig({ env: { PAPERBOY_METRICS_PORT: '9464' } }).metricsPort).toBe(9464);
    expect(() => loadConfig({ env: { PAPERBOY_METRICS_PORT: 'nine' } })).toThrow(
      'env PAPERBOY_METRICS_PORT: must be a port number (0-65535)',
    );
    expect(() => loadConfig({ env: { PAPERBOY_METRICS_PORT: '70000' } })).toThrow(
      'env PAPERBOY_METRICS_PORT: must be a port number (0-65535)',
    );
  });
});

describe('PAPERBOY_METRICS_HOST: loopback unless asked', () => {
  it('defaults to 127.0.0.1, takes an IP address, and names a bad one', () => {
    expect(loadConfig({ env: {} }).metricsHost).toBe('127.0.0.1');
    expect(loadConfig({ env: { PAPERBOY_METRICS_HOST: '0.0.0.0' } }).metricsHost).toBe('0.0.0.0');
    expect(loadConfig({ env: { PAPERBOY_METRICS_HOST: '::1' } }).metricsHost).toBe('::1');
    for (const bad of ['everywhere', '127.0.0.1:9464', 'http://0.0.0.0'])
      expect(() => loadConfig({ env: { PAPERBOY_METRICS_HOST: bad } })).toThrow(
        'env PAPERBOY_METRICS_HOST: must be an IP address to listen on',
      );
  });

  it('the server listens on loopback when no host is given, on the given one otherwise', async () => {
    const config = loadConfig({ env: {} });
    const bot = await createBot({
      config,
      clock: manualClock(NOW),
      logger: silentLogger(),
      dataDir: ':memory:',
    });
    const serve = (host?: string) =>
      serveOps({
        port: 0,
        ...(host ? { host } : {}),
        metrics: createCommandMetrics(),
        store: bot.store,
        config,
        clock: bot.clock,
        logger: silentLogger(),
        platformsConnected: () => ({}),
        digestRunsByState: async () => ({}),
      });
    const plain = await serve();
    const everywhere = await serve('0.0.0.0');
    try {
      expect(plain.host).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${plain.port}/healthz`)).status).toBeLessThan(600);
      expect(everywhere.host).toBe('0.0.0.0');
    } finally {
      await plain.close();
      await everywhere.close();
      await bot.close();
    }
  });

  it('an address this machine does not have is named', async () => {
    const config = loadConfig({ env: {} });
    await expect(
      serveOps({
        port: 0,
        // TEST-NET-3 (RFC 5737): never an address of this machine.
        host: '203.0.113.7',
        metrics: createCommandMetrics(),
        store: { countPapers: () => 0 } as never,
        config,
        clock: manualClock(NOW),
        logger: silentLogger(),
        platformsConnected: () => ({}),
        digestRunsByState: async () => ({}),
      }),
    ).rejects.toThrow('PAPERBOY_METRICS_HOST 203.0.113.7 is not an address of this machine');
  });
});
