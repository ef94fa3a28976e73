import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandObserver } from '../commands/context.js';
import type { SourceHealth } from '../core/health.js';

/** What the gauges read at scrape time; passed in so tests and main decide where it comes from. */
export interface MetricsSources {
  countPapers(): Promise<number>;
  sourcesHealth(): Promise<SourceHealth[]>;
  /** Digest runs (or, before `digest_runs`, ledger deliveries) counted by state. */
  digestRunsByState(): Promise<Record<string, number>>;
}

export interface CommandMetrics {
  registry: Registry;
  /** Hand to `createBot({ observeCommand })`: counts and times every answered command. */
  observeCommand: CommandObserver;
}

/** Seconds; Discord and Slack allow 3 s before the first answer, so the buckets crowd below it. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

/**
 * A registry of its own (never prom-client's global one) holding the command metrics and
 * Node's default process metrics, which include event-loop lag (`nodejs_eventloop_lag_*`)
 * and resident memory. Made before the bot, which reports every command to it.
 */
export function createCommandMetrics(): CommandMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: 'paperboy_commands_total',
    help: 'Commands answered, by subcommand and outcome (ok or the error code).',
    labelNames: ['subcommand', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'paperboy_command_duration_seconds',
    help: 'Time from a command entering the dispatcher to its reply.',
    labelNames: ['subcommand'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observeCommand({ subcommand, outcome, ms }) {
      commands.inc({ subcommand, outcome });
      latency.observe({ subcommand }, ms / 1000);
    },
  };
}

/** The gauges read at scrape time from the running bot. */
export function registerStateGauges(registry: Registry, sources: MetricsSources): void {
  new Gauge({
    name: 'paperboy_papers_stored',
    help: 'Papers in the store.',
    registers: [registry],
    async collect() {
      this.set(await sources.countPapers());
    },
  });
  new Gauge({
    name: 'paperboy_source_healthy',
    help: '1 when an enabled source has no warning (failing, stale, quiet), else 0.',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      const health = await sources.sourcesHealth();
      this.reset();
      for (const source of health) {
        if (source.enabled) this.set({ source: source.name }, source.warning ? 0 : 1);
      }
    },
  });
  new Gauge({
    name: 'paperboy_source_last_success_timestamp_seconds',
    help: 'When each source last fetched successfully (Unix time).',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      const health = await sources.sourcesHealth();
      this.reset();
      for (const source of health) {
        if (source.lastSuccessAt)
          this.set({ source: source.name }, Date.parse(source.lastSuccessAt) / 1000);
      }
    },
  });
  new Gauge({
    name: 'paperboy_digest_runs',
    help: 'Digest runs by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await sources.digestRunsByState();
      this.reset();
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
}
