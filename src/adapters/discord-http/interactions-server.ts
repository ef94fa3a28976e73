import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type APIInteraction, InteractionType, MessageFlags } from 'discord.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { LISTEN_BACKLOG } from '../listen-backlog.js';
import type { Response } from './respond.js';
import { checkSignature } from './signature.js';

/** Where Discord POSTs interactions: the Interactions Endpoint URL is `https://<host>` + this. */
export const INTERACTIONS_PATH = '/discord/interactions';
/** Interactions are a few KB; anything this large is not from Discord. */
const MAX_BODY_BYTES = 1_000_000;

export interface InteractionsServerDeps {
  publicKey: KeyObject;
  clock: Clock;
  logger: Logger;
  respond(interaction: APIInteraction): Promise<Response>;
}

export interface InteractionsServer {
  /** Listens and returns the port actually bound (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking requests and waits for deferred answers still being edited. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Signed JSON from Discord is trusted for its shape, but not an empty or foreign body. */
function parseInteraction(body: Buffer): APIInteraction | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Partial<APIInteraction>;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.type !== 'number')
      return null;
    if (parsed.type !== InteractionType.Ping && typeof parsed.token !== 'string') return null;
    return parsed as APIInteraction;
  } catch {
    return null;
  }
}

/** What a failed follow-up says in a log: never its URL, which holds the interaction token. */
export function describeFailure(error: unknown, token: string): Record<string, unknown> {
  const e = error as { name?: string; message?: string; status?: number; code?: unknown };
  const message = String(e?.message ?? error);
  return {
    name: e?.name ?? 'Error',
    status: e?.status,
    code: e?.code,
    message: token ? message.split(token).join('[token]') : message,
  };
}

/**
 * The Interactions Endpoint over node:http: POST only, Ed25519 signature and timestamp
 * checked on the raw body before anything is parsed, one JSON response per interaction.
 */
export function createInteractionsServer(deps: InteractionsServerDeps): InteractionsServer {
  const pending = new Set<Promise<void>>();

  function finishLater(interaction: APIInteraction, after: () => Promise<void>): void {
    const done = after()
      .catch((error: unknown) => {
        deps.logger.error(
          { interaction: interaction.id, failure: describeFailure(error, interaction.token) },
          'Discord: could not finish a deferred interaction',
        );
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path !== INTERACTIONS_PATH) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { error: 'body too large' });
      }
      throw error;
    }
    const check = checkSignature(
      {
        signature: header(req, 'x-signature-ed25519'),
        timestamp: header(req, 'x-signature-timestamp'),
        body,
      },
      deps.publicKey,
      deps.clock.now().getTime(),
    );
    if (!check.ok) {
      deps.logger.warn({ reason: check.reason }, 'Discord interaction refused: bad signature');
      return sendJson(res, 401, { error: 'invalid request signature' });
    }
    const interaction = parseInteraction(body);
    if (!interaction) return sendJson(res, 400, { error: 'not a Discord interaction' });
    try {
      const response = await deps.respond(interaction);
      const { after } = response;
      // Edits of @original wait until the deferral is out: Discord 404s an edit that wins the race.
      if (after) res.once('close', () => finishLater(interaction, after));
      sendJson(res, 200, response.body);
    } catch (error) {
      deps.logger.error(
        { interaction: interaction.id, failure: describeFailure(error, interaction.token) },
        'Discord interaction failed',
      );
      if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
        return sendJson(res, 500, { error: 'internal error' });
      }
      sendJson(res, 200, {
        type: 4,
        data: {
          content: 'Paperboy could not answer that; the error has been logged.',
          flags: MessageFlags.Ephemeral,
          allowed_mentions: { parse: [] },
        },
      });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.logger.error({ failure: describeFailure(error, '') }, 'Discord endpoint error');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Every answered request has registered its deferred work once its connection is gone.
      await closed;
      await Promise.allSettled([...pending]);
    },
  };
}
