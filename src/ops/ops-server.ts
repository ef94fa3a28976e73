import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { PaperboyError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { checkHealth, type HealthInputs } from './health-check.js';

export interface OpsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default loopback: the endpoint is for this machine unless asked (PAPERBOY_METRICS_HOST). */
  host?: string;
  registry: Registry;
  health: HealthInputs;
  logger: Logger;
}

export interface OpsServer {
  readonly port: number;
  /** The address it listens on. */
  readonly host: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function route(options: OpsServerOptions, req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'Only GET is served here.\n');
    return;
  }
  if (path === '/healthz') {
    const report = await checkHealth(options.health);
    send(res, report.ok ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`);
    return;
  }
  if (path === '/metrics') {
    const text = await options.registry.metrics();
    send(res, 200, options.registry.contentType, text);
    return;
  }
  send(res, 404, 'text/plain; charset=utf-8', 'Not found: try /healthz or /metrics.\n');
}

/** `GET /healthz` (200 or 503 with a JSON body saying what is wrong) and `GET /metrics`. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    route(options, req, res).catch((error: unknown) => {
      options.logger.error({ err: error, path: req.url }, 'metrics/health request failed');
      if (!res.headersSent) {
        send(res, 500, 'text/plain; charset=utf-8', `${(error as Error).message}\n`);
      } else res.destroy();
    });
  });
  server.listen(options.port, options.host ?? '127.0.0.1');
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => Promise.reject(error)),
    ]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PaperboyError(
      'CONFIG_INVALID',
      code === 'EADDRINUSE'
        ? `PAPERBOY_METRICS_PORT ${options.port} is already in use: choose a free port or stop the other process.`
        : code === 'EADDRNOTAVAIL'
          ? `PAPERBOY_METRICS_HOST ${options.host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its addresses.`
          : `Cannot serve metrics on port ${options.port}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const { port, address: host } = server.address() as AddressInfo;
  options.logger.info({ port, host }, 'serving /healthz and /metrics');
  return {
    port,
    host,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
