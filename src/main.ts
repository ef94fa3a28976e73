import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Adapter } from './adapters/adapter.js';
import { createDiscordAdapter } from './adapters/discord/discord-adapter.js';
import { createDiscordHttpAdapter } from './adapters/discord-http/discord-http-adapter.js';
import { PromptSafeLog, terminalLogLevel } from './adapters/shell/prompt-log.js';
import { ShellAdapter } from './adapters/shell/shell-adapter.js';
import { createSlackAdapter } from './adapters/slack/slack-adapter.js';
import { type Bot, createBot } from './app.js';
import { type Config, configSecrets, envSecretValues, loadConfig } from './config.js';
import { systemClock } from './core/clock.js';
import { createLogger } from './core/logger.js';
import { installShutdown } from './core/shutdown.js';
import { paperboyUserAgent, RequestGate, realSleep } from './core/sources/http.js';
import { SHELL_CHANNEL } from './core/store/store.js';
import { createCommandMetrics } from './ops/metrics.js';
import type { OpsServer } from './ops/ops-server.js';
import { serveOps } from './ops/serve-ops.js';
import { ARXIV_INTERVAL_MS, startLive } from './runtime/live.js';
import { preferSmallHeap, prepareDataDir, startupMessage } from './startup.js';

/** Starts live sources and the scheduler over the running bot; returns how to stop them. */
export type StartLive = (bot: Bot, adapters: Adapter[]) => Promise<{ stop(): Promise<void> }>;

export interface MainOptions {
  argv: string[];
  /** Provided by the live-sources module; without it `--live` cannot run. */
  startLive?: StartLive;
}

function terminalBanner(live: boolean): string {
  const mode = live ? 'live: sources polled, digests print here' : 'offline';
  return (
    `Paperboy: no platform token configured, running in the terminal (${mode}). ` +
    'Set DISCORD_TOKEN + DISCORD_APPLICATION_ID to enable Discord, ' +
    'SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to enable Slack.\n'
  );
}

function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

function shellAdapter(bot: Bot, config: Config, log: PromptSafeLog | null): ShellAdapter {
  const interactive = isInteractive();
  return new ShellAdapter({
    ...(log ? { log } : {}),
    input: process.stdin,
    output: process.stdout,
    interactive,
    color: Boolean(process.stdout.isTTY),
    width: process.stdout.columns ? Math.min(process.stdout.columns, 100) : 80,
    historyFile: path.join(config.dataDir, 'shell-history'),
    context: () =>
      bot.contextFor(SHELL_CHANNEL, { id: 'local', canManageChannel: true }, 'terminal user'),
  });
}

/** Composition root: config → logger → store + search (bot) → adapters. Returns the exit code. */
export async function main(options: MainOptions): Promise<number> {
  const args = parseArgs({
    args: options.argv,
    options: { live: { type: 'boolean', default: false } },
    strict: true,
  });
  const config = loadConfig({
    onWarning: (line) => process.stderr.write(`Paperboy: warning: ${line}\n`),
  });
  // The terminal REPL: a person at a prompt, whose log lines must not land on it.
  const repl = !config.discord.secrets && !config.slack.secrets && isInteractive();
  const promptLog = repl ? new PromptSafeLog(process.stderr) : null;
  const logger = createLogger({
    level: terminalLogLevel(config.log.level, {
      levelFromEnv: config.log.levelFromEnv,
      interactive: repl,
    }),
    pretty: Boolean(process.stderr.isTTY),
    ...(promptLog ? { destination: promptLog } : {}),
    // Blank the tokens themselves wherever they turn up, e.g. quoted in a library's error.
    secretValues: configSecrets(config),
  });
  prepareDataDir(config.dataDir);
  const metrics = config.metricsPort === null ? null : createCommandMetrics();
  // Links are looked up only where they are posted: on a platform, never in the terminal.
  const platforms = Boolean(config.discord.secrets || config.slack.secrets);
  const bot = await createBot({
    config,
    clock: systemClock,
    logger,
    dataDir: config.dataDir,
    ...(metrics ? { observeCommand: metrics.observeCommand } : {}),
    ...(platforms ? { arxivLookup: systemArxivLookup() } : {}),
  });

  const adapters: Adapter[] = platformAdapters(bot, config);
  let shell: ShellAdapter | null = null;
  if (adapters.length === 0) {
    shell = shellAdapter(bot, config, promptLog);
    adapters.push(shell);
    process.stderr.write(terminalBanner(Boolean(args.values.live && options.startLive)));
  }

  let live: { stop(): Promise<void> } | null = null;
  let ops: OpsServer | null = null;
  // An adapter counts as connected from a finished start() until its stop().
  const running = new Set<Adapter>();
  const stopAll = async () => {
    await ops?.close();
    await live?.stop();
    // Only what started: a platform that failed to start (a port in use) has nothing to stop.
    for (const adapter of adapters) {
      if (running.delete(adapter)) await adapter.stop();
    }
  };
  // SIGINT/SIGTERM: stop taking work, settle in-flight posts, close the store, exit 0.
  const shutdown = installShutdown({ logger, stop: stopAll, close: () => bot.close() });
  // `… | npm start -s | head -3`: the reader went away, so stop quietly as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') void shutdown.shutdown('stdout closed');
    else logger.error({ err: error }, 'cannot write to stdout');
  });

  try {
    if (metrics && config.metricsPort !== null) {
      ops = await serveOps({
        port: config.metricsPort,
        host: config.metricsHost,
        metrics,
        store: bot.store,
        config,
        clock: bot.clock,
        logger,
        platformsConnected: () =>
          Object.fromEntries(adapters.map((adapter) => [adapter.platform, running.has(adapter)])),
        digestRunsByState: async () => await bot.store.countDigestRunsByState(),
      });
    }
    for (const adapter of adapters) {
      await adapter.start();
      running.add(adapter);
    }
  } catch (error) {
    // A refused token or a taken port: release what started so the process can exit.
    shutdown.dispose();
    await stopAll().catch((stopError: unknown) =>
      logger.warn({ err: stopError }, 'stopping after a failed start also failed'),
    );
    await bot.close();
    throw error;
  }
  // With a platform the sources and digests always run; the terminal runs them on --live.
  if (!shell || args.values.live) {
    if (options.startLive) live = await options.startLive(bot, adapters);
    else logger.warn('no live runner was provided; sources and digests stay off');
  }

  if (shell) {
    await shell.finished;
    shutdown.dispose();
    await stopAll();
    await bot.close();
    return 0;
  }
  // Platform mode runs until a signal; installShutdown exits the process.
  return new Promise<number>(() => {});
}

/** Real HTTP and the process's one arXiv gate, which the live fetchers share (`bot.arxivGate`). */
function systemArxivLookup() {
  return {
    http: {
      fetch: globalThis.fetch,
      clock: systemClock,
      sleep: realSleep,
      random: Math.random,
      timeoutSignal: (ms: number) => AbortSignal.timeout(ms),
      userAgent: paperboyUserAgent('0.1.0'),
    },
    gate: new RequestGate(ARXIV_INTERVAL_MS, systemClock, realSleep),
  };
}

/** The chat platforms whose tokens are configured. */
function platformAdapters(bot: Bot, config: Config): Adapter[] {
  const adapters: Adapter[] = [];
  const { clock, logger } = bot;
  const { secrets: discordSecrets, interactions } = config.discord;
  if (discordSecrets && interactions) {
    // DISCORD_PUBLIC_KEY: interactions over HTTP, no gateway connection.
    adapters.push(
      createDiscordHttpAdapter({
        secrets: discordSecrets,
        interactions,
        config,
        bot,
        clock,
        logger,
      }),
    );
  } else if (discordSecrets) {
    adapters.push(createDiscordAdapter({ secrets: discordSecrets, config, bot, clock, logger }));
  }
  if (config.slack.secrets) {
    adapters.push(
      createSlackAdapter({ secrets: config.slack.secrets, bot, config, clock, logger }),
    );
  }
  return adapters;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  preferSmallHeap();
  const runLive: StartLive = async (bot, adapters) =>
    startLive({
      config: bot.config,
      store: bot.store,
      search: bot.search,
      adapters: new Map(adapters.map((adapter) => [adapter.platform, adapter])),
      clock: bot.clock,
      logger: bot.logger,
      includeShell: adapters.some((adapter) => adapter.platform === 'shell'),
      // Several instances on one PostgreSQL store: one polls the sources at a time.
      ...(bot.postgres ? { pollLock: () => bot.postgres!.holdPollingLock() } : {}),
      ...(bot.arxivGate ? { gate: bot.arxivGate } : {}),
    });
  main({ argv: process.argv.slice(2), startLive: runLive }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Configuration and start-up errors are for people: the message alone, no stack.
      process.stderr.write(`${startupMessage(error, envSecretValues())}\n`);
      process.exitCode = 1;
    },
  );
}
