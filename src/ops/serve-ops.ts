import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { sourcesHealth } from '../core/health.js';
import type { Logger } from '../core/logger.js';
import type { AsyncStore } from '../core/store/async-store.js';
import { type CommandMetrics, registerStateGauges } from './metrics.js';
import { type OpsServer, startOpsServer } from './ops-server.js';

export interface ServeOpsOptions {
  port: number;
  host?: string;
  metrics: CommandMetrics;
  store: AsyncStore;
  config: Pick<Config, 'sources'>;
  clock: Clock;
  logger: Logger;
  /** Each running platform and whether it is connected now. */
  platformsConnected(): Record<string, boolean>;
  digestRunsByState(): Promise<Record<string, number>>;
}

/** Adds the bot's state gauges to the command metrics and serves /healthz and /metrics. */
export function serveOps(options: ServeOpsOptions): Promise<OpsServer> {
  const { store, config, clock } = options;
  const health = async () => await sourcesHealth(store, config, clock.now());
  registerStateGauges(options.metrics.registry, {
    countPapers: async () => await store.countPapers(),
    sourcesHealth: health,
    digestRunsByState: options.digestRunsByState,
  });
  return startOpsServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    registry: options.metrics.registry,
    logger: options.logger,
    health: {
      probeStore: async () => await store.countPapers(),
      sourcesHealth: health,
      platformsConnected: options.platformsConnected,
    },
  });
}
