import { type APIUser, Client, type REST, Routes } from 'discord.js';
import type { Reply } from '../../commands/reply.js';
import type { CommandCall } from '../../commands/spec.js';
import type { Config, DiscordInteractionsConfig, DiscordSecrets } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { PaperboyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { portInUse } from '../../core/port-in-use.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { Adapter, PostResult } from '../adapter.js';
import { findDeliveryMessage, type PostDeps, postToChannel } from '../discord/channel-post.js';
import type { DiscordBot } from '../discord/interaction-handler.js';
import { inviteUrl } from '../discord/invite.js';
import { ensureCommandsRegistered } from '../discord/registration.js';
import { discordStartError } from '../discord/start-errors.js';
import {
  createInteractionsServer,
  INTERACTIONS_PATH,
  type InteractionsServer,
} from './interactions-server.js';
import { type InteractionWebhook, respond } from './respond.js';
import { publicKeyFromHex } from './signature.js';

export interface DiscordHttpAdapterOptions {
  /** Subcommands always deferred then edited (default: digest, status, subscribe, as the gateway). */
  deferSubcommands?: string[];
  /** Defer any other command not answered within this many ms (default 1500). */
  deferAfterMs?: number;
  /** Interface to listen on (default: all). Tests use 127.0.0.1. */
  host?: string;
  /** Sees every call and its reply (metrics, tests). */
  observe?: (call: CommandCall, reply: Reply) => void;
}

export interface DiscordHttpAdapterDeps {
  secrets: DiscordSecrets;
  interactions: DiscordInteractionsConfig;
  config: Config;
  bot: DiscordBot;
  clock: Clock;
  logger: Logger;
  options?: DiscordHttpAdapterOptions;
}

export interface DiscordHttpAdapter extends Adapter {
  /** The port actually listened on once started (the configured one may be 0 in tests). */
  readonly port: number | null;
}

/** Webhook routes take the interaction token, not the bot token: `auth: false`. */
function interactionWebhook(rest: REST, applicationId: string): InteractionWebhook {
  const original = (token: string) => Routes.webhookMessage(applicationId, token, '@original');
  return {
    async editOriginal(token, body) {
      await rest.patch(original(token), { body, auth: false });
    },
    async deleteOriginal(token) {
      await rest.delete(original(token), { auth: false });
    },
    async followUp(token, body) {
      await rest.post(Routes.webhook(applicationId, token), { body, auth: false });
    },
  };
}

/**
 * Discord without a gateway connection: interactions arrive as signed HTTP POSTs (the
 * Interactions Endpoint URL), so any number of instances can sit behind a load balancer.
 * Answers go in the HTTP response or through the interaction webhook; digests post over
 * REST with the gateway adapter's channel-post code, on a discord.js Client that never logs in.
 */
export function createDiscordHttpAdapter(deps: DiscordHttpAdapterDeps): DiscordHttpAdapter {
  const { secrets, logger, clock } = deps;
  const options = deps.options ?? {};
  const publicKey = publicKeyFromHex(deps.interactions.publicKey);
  let client: Client | null = null;
  let server: InteractionsServer | null = null;
  let botUserId: string | undefined;
  let port: number | null = null;

  const postDeps = (): PostDeps => {
    if (!client) throw new PaperboyError('POST_FAILED', 'The Discord adapter is not started.');
    return { client, store: deps.bot.store, clock, logger, config: deps.config, botUserId };
  };
  const ownRef = (target: ChannelRef) => {
    if (target.platform !== 'discord')
      throw new PaperboyError('INTERNAL', `Not a Discord channel: ${target.platform}`);
  };

  return {
    platform: 'discord',
    get port() {
      return port;
    },

    async start() {
      // REST only: no intents are needed, and login() is never called.
      const next = new Client({
        intents: [],
        ...(secrets.apiUrl ? { rest: { api: secrets.apiUrl } } : {}),
      });
      next.rest.setToken(secrets.token);
      // `route` is the bucket route: webhook tokens are already replaced by `:token`.
      next.rest.on('rateLimited', (info) =>
        logger.warn(
          { route: info.route, retryAfter: info.retryAfter },
          'Discord rate limit: waiting',
        ),
      );
      try {
        await ensureCommandsRegistered(
          next.rest,
          { applicationId: secrets.applicationId, guildId: secrets.guildId },
          logger,
        );
        botUserId = ((await next.rest.get(Routes.user())) as APIUser).id;
        const respondDeps = {
          bot: deps.bot,
          clock,
          logger,
          webhook: interactionWebhook(next.rest, secrets.applicationId),
          deferSubcommands: new Set(options.deferSubcommands ?? ['digest', 'status', 'subscribe']),
          deferAfterMs: options.deferAfterMs ?? 1500,
          observe: options.observe,
        };
        const nextServer = createInteractionsServer({
          publicKey,
          clock,
          logger,
          respond: (interaction) => respond(respondDeps, interaction),
        });
        port = await nextServer.listen(deps.interactions.port, options.host);
        server = nextServer;
      } catch (error) {
        await next.destroy();
        throw (
          portInUse(error, deps.interactions.port, 'DISCORD_INTERACTIONS_PORT') ??
          discordStartError(error, secrets.apiUrl)
        );
      }
      client = next;
      logger.info(
        { invite: inviteUrl(secrets.applicationId), port, path: INTERACTIONS_PATH },
        'Discord over HTTP: set the Interactions Endpoint URL to this path on a public https address',
      );
    },

    async stop() {
      const [current, running] = [client, server];
      client = null;
      server = null;
      port = null;
      await running?.close();
      await current?.destroy();
    },

    async post(target: ChannelRef, reply: Reply): Promise<PostResult> {
      ownRef(target);
      return postToChannel(postDeps(), target, reply);
    },

    async findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null> {
      ownRef(target);
      return findDeliveryMessage(postDeps(), target, deliveryId);
    },
  };
}
