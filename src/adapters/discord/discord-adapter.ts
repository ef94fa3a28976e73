import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { CommandContext } from '../../commands/context.js';
import type { Reply } from '../../commands/reply.js';
import type { CommandCall } from '../../commands/spec.js';
import type { Config, DiscordSecrets } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { PaperboyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { Adapter, PostResult } from '../adapter.js';
import { findDeliveryMessage, postToChannel } from './channel-post.js';
import { loginUntilReady, shardOptions, shardRefused } from './gateway-shards.js';
import { type DiscordBot, handleInteraction } from './interaction-handler.js';
import { inviteUrl } from './invite.js';
import { handleMessageQuestion } from './message-questions.js';
import { ensureCommandsRegistered } from './registration.js';
import { discordStartError } from './start-errors.js';

export interface DiscordAdapterOptions {
  /** Runs a command once the interaction is deferred (default `runCommand`); tests and benches wrap it. */
  run?: (call: CommandCall, ctx: CommandContext) => Promise<Reply>;
  /** How long start() waits for the gateway, or for the next shard, to be ready (default 30 s). */
  readyTimeoutMs?: number;
  /** Sees every call and its reply (metrics, tests). */
  observe?: (call: CommandCall, reply: Reply) => void;
}

export interface DiscordAdapterDeps {
  secrets: DiscordSecrets;
  config: Config;
  bot: DiscordBot;
  clock: Clock;
  logger: Logger;
  options?: DiscordAdapterOptions;
}

/** Discord refs cover guild channels, threads and DMs (workspace `dm`). */
function ownsRef(target: ChannelRef): boolean {
  return target.platform === 'discord';
}

/**
 * The Discord adapter: a discord.js client with only the Guilds intent, `/papers`
 * registered from the spec when it changed, interactions through the shared commands,
 * and `post`/`findDelivery` for digests.
 */
export function createDiscordAdapter(deps: DiscordAdapterDeps): Adapter {
  const { secrets, logger } = deps;
  const options = deps.options ?? {};
  let client: Client | null = null;

  const connected = (): Client => {
    if (!client) throw new PaperboyError('POST_FAILED', 'The Discord adapter is not started.');
    return client;
  };
  const postDeps = () => ({
    client: connected(),
    store: deps.bot.store,
    clock: deps.clock,
    logger,
    config: deps.config,
  });
  const interactionDeps = {
    bot: deps.bot,
    clock: deps.clock,
    logger,
    run: options.run,
    observe: options.observe,
  };

  return {
    platform: 'discord',

    async start() {
      const { shards } = deps.config.discord;
      const next = new Client({
        // GuildMessages is not privileged: with it a bot sees the messages that mention it.
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
        ...shardOptions(shards),
        ...(secrets.apiUrl ? { rest: { api: secrets.apiUrl } } : {}),
      });
      next.on(Events.InteractionCreate, (interaction: Interaction) => {
        void handleInteraction(interactionDeps, interaction);
      });
      next.on(Events.MessageCreate, (message) => {
        void handleMessageQuestion({ bot: deps.bot, clock: deps.clock, logger }, next, message);
      });
      next.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
      next.on(Events.ShardDisconnect, (event, shard) =>
        logger.warn(
          { code: event.code, shard },
          // A refusal (e.g. 4011 once the bot outgrows its shards) says what to change.
          shardRefused(event.code, shard, next.options.shardCount ?? 1)?.message ??
            'Discord gateway disconnected',
        ),
      );
      next.on(Events.ShardReady, (shard) => logger.debug({ shard }, 'Discord shard ready'));
      next.rest.on('rateLimited', (info) =>
        logger.warn(
          { route: info.route, retryAfter: info.retryAfter },
          'Discord rate limit: waiting',
        ),
      );
      logger.info(
        { invite: inviteUrl(secrets.applicationId) },
        'Discord: invite the bot with this URL',
      );
      next.rest.setToken(secrets.token);
      try {
        await ensureCommandsRegistered(
          next.rest,
          { applicationId: secrets.applicationId, guildId: secrets.guildId },
          logger,
        );
        await loginUntilReady(next, secrets.token, options.readyTimeoutMs ?? 30_000);
      } catch (error) {
        await next.destroy();
        throw discordStartError(error, secrets.apiUrl);
      }
      client = next;
      logger.info(
        {
          user: next.user?.tag,
          shards: [...next.ws.shards.keys()],
          shardCount: next.options.shardCount,
        },
        'Discord connected',
      );
    },

    async stop() {
      const current = client;
      client = null;
      await current?.destroy();
    },

    async post(target: ChannelRef, reply: Reply): Promise<PostResult> {
      if (!ownsRef(target))
        throw new PaperboyError('INTERNAL', `Not a Discord channel: ${target.platform}`);
      return postToChannel(postDeps(), target, reply);
    },

    async findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null> {
      if (!ownsRef(target))
        throw new PaperboyError('INTERNAL', `Not a Discord channel: ${target.platform}`);
      return findDeliveryMessage(postDeps(), target, deliveryId);
    },
  };
}
