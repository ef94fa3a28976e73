import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Config, SlackSecrets } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { PaperboyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { platformUnreachable } from '../../core/platform-unreachable.js';
import { portInUse } from '../../core/port-in-use.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import type { Adapter } from '../adapter.js';
import { LISTEN_BACKLOG } from '../listen-backlog.js';
import { createActionCodec } from './action-values.js';
import { boltLogger } from './bolt-logger.js';
import { type RouteDeps, registerRoutes, type SlackBot } from './command-routes.js';
import { registerLinkUnfurls } from './link-unfurls.js';
import { createManagePolicy } from './manage-policy.js';
import { registerMentionQuestions } from './mention-questions.js';
import { createPacer, type Wait } from './pacer.js';
import { RecentIds } from './recent-ids.js';
import { describeSlackError, slackErrorCode } from './slack-errors.js';
import { createSlackPoster } from './slack-poster.js';

export interface SlackAdapterOptions {
  secrets: SlackSecrets;
  bot: SlackBot & { store: AsyncStore };
  config: Config;
  clock: Clock;
  logger: Logger;
  /** HTTP mode: interface to listen on (default: all). Tests use 127.0.0.1. */
  host?: string;
  /** Waits between messages to one channel; injected so tests pace without waiting. */
  wait?: Wait;
  /** Socket Mode: how long to wait for a pong, also the first reconnect delay (SDK default 5000 ms). */
  socketPingTimeoutMs?: number;
  /** Sees every command reply before it is rendered (tests, metrics). */
  onReply?: RouteDeps['onReply'];
  /** Web API retry policy; bounded so a stuck Slack never hangs the bot. */
  retryConfig?: webApi.RetryOptions;
}

export interface SlackAdapter extends Adapter {
  readonly mode: 'http' | 'socket';
  /** HTTP mode: the port actually listened on (PORT may be 0 in tests). */
  readonly port: number | null;
  /** The workspace (team id) the bot token belongs to, known after start(). */
  readonly teamId: string | null;
}

const DISCONNECT_TIMEOUT_MS = 5000;
const TOKEN_REFUSALS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

function waitForDisconnect(receiver: SocketModeReceiver): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, DISCONNECT_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      receiver.client.off('disconnected', done);
      resolve();
    }
    receiver.client.on('disconnected', done);
  });
}

export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 2,
  factor: 2,
  minTimeout: 200,
  maxTimeout: 2000,
  maxRetryTime: 15_000,
  randomize: true,
};

/**
 * Slack over Bolt: Socket Mode when an app token is set (it wins), else the HTTP
 * receiver on PORT at /slack/events with signatures verified by Bolt.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { secrets, bot, config, clock } = options;
  const logger = options.logger.child({ adapter: 'slack' });
  const sdkLogger = boltLogger(logger);
  const mode: 'http' | 'socket' = secrets.appToken ? 'socket' : 'http';
  if (mode === 'http' && !secrets.signingSecret) {
    throw new PaperboyError(
      'CONFIG_INVALID',
      'Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const clientOptions: webApi.WebClientOptions = {
    logger: sdkLogger,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: false,
    timeout: 10_000,
    ...(secrets.apiUrl ? { slackApiUrl: secrets.apiUrl } : {}),
  };
  const client = new webApi.WebClient(secrets.botToken, clientOptions);
  client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number, info: { url?: string }) => {
    logger.warn(
      { retryAfterSeconds: seconds, method: info?.url },
      'Slack rate limit: waiting before retrying',
    );
  });
  const pacer = createPacer({ clock, wait: options.wait });
  const poster = createSlackPoster({
    client,
    store: bot.store,
    clock,
    logger,
    pacer,
    digestAsThread: config.slack.digestAsThread,
  });
  const seen = new RecentIds();
  let app: App | null = null;
  let socketReceiver: SocketModeReceiver | null = null;
  let port: number | null = null;
  let teamId: string | null = null;

  function receiver(): Receiver {
    if (secrets.appToken) {
      socketReceiver = new SocketModeReceiver({
        appToken: secrets.appToken,
        logger: sdkLogger,
        ...(options.socketPingTimeoutMs ? { clientPingTimeout: options.socketPingTimeoutMs } : {}),
        // Bolt 4.7's Socket Mode client reads only installerOptions.clientOptions.
        installerOptions: { clientOptions },
        customPropertiesExtractor: (args) => ({
          envelopeId: (args as { envelope_id?: string }).envelope_id,
        }),
      });
      return socketReceiver;
    }
    return new HTTPReceiver({
      signingSecret: secrets.signingSecret ?? '',
      endpoints: '/slack/events',
      port: secrets.port,
      logger: sdkLogger,
    });
  }

  return {
    platform: 'slack',
    mode,
    get port() {
      return port;
    },
    get teamId() {
      return teamId;
    },
    async start() {
      // One auth.test up front: checks the token, names the workspace, and lets
      // Bolt skip auth.test on every request.
      const auth = await client.auth.test().catch((error: unknown) => {
        const code = slackErrorCode(error);
        if (code && TOKEN_REFUSALS.has(code)) {
          throw new PaperboyError(
            'CONFIG_INVALID',
            `Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) ` +
              "from your app's OAuth & Permissions page, reinstalling the app if it was revoked.",
            { cause: error },
          );
        }
        const unreachable = platformUnreachable(
          error,
          'Slack',
          secrets.apiUrl ?? 'https://slack.com/api/',
          'SLACK_API_URL',
        );
        if (unreachable) throw unreachable;
        throw new PaperboyError(
          'INTERNAL',
          `Slack auth.test failed (${describeSlackError(error)}).`,
          {
            cause: error,
          },
        );
      });
      teamId = auth.team_id ?? null;
      app = new App({
        token: secrets.botToken,
        botId: auth.bot_id,
        botUserId: auth.user_id,
        receiver: receiver(),
        clientOptions,
        logger: sdkLogger,
      });
      app.error(async (error) => {
        logger.error({ code: error.code, err: error.message }, 'Slack handler error');
      });
      registerRoutes(app, {
        bot,
        policy: createManagePolicy({
          mode: config.slack.manage,
          adminUserIds: config.slack.adminUserIds,
          client,
          clock,
          logger,
        }),
        codec: createActionCodec(bot.store, clock),
        seen,
        logger,
        onReply: options.onReply,
      });
      registerMentionQuestions(app, { bot, logger });
      registerLinkUnfurls(app, { bot, logger });
      if (mode === 'http') {
        const listen = {
          port: secrets.port,
          backlog: LISTEN_BACKLOG,
          ...(options.host ? { host: options.host } : {}),
        };
        const server = (await app.start(listen).catch((error: unknown) => {
          throw portInUse(error, secrets.port, 'PORT') ?? error;
        })) as unknown as { address(): AddressInfo | string | null };
        const address = server.address();
        port = typeof address === 'object' && address ? address.port : secrets.port;
      } else {
        await app.start();
      }
      logger.info({ mode, workspace: teamId, port }, 'Slack adapter started');
    },
    async stop() {
      const running = app;
      app = null;
      if (!running) return;
      // Bolt resolves stop() before the socket is closed; wait for the client to say so.
      const disconnected = socketReceiver ? waitForDisconnect(socketReceiver) : Promise.resolve();
      await running.stop();
      await disconnected;
      socketReceiver = null;
    },
    post: poster.post,
    findDelivery: poster.findDelivery,
  };
}
