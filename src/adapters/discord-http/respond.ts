import {
  type APIInteraction,
  type APIInteractionResponse,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from 'discord.js';
import { autocomplete } from '../../commands/autocomplete.js';
import type { CommandContext } from '../../commands/context.js';
import { runCommand } from '../../commands/dispatch.js';
import type { Reply } from '../../commands/reply.js';
import { type CommandCall, findSubcommand } from '../../commands/spec.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { messageBody } from '../discord/channel-post.js';
import {
  type DiscordBot,
  EXPIRED_BUTTON,
  MANAGE_PERMISSION,
} from '../discord/interaction-handler.js';
import { interactionMessage } from '../discord/interaction-message.js';
import { decodeChoice, decodePageCustomId, isParkedPageId, pageCall } from '../discord/paging.js';
import type { DiscordMessage } from '../discord/render-reply.js';
import {
  callFromOptions,
  channelRefOf,
  commandUserOf,
  focusedOption,
} from './interaction-payload.js';

/** Edits of an interaction's response through its webhook (the token is valid 15 minutes). */
export interface InteractionWebhook {
  editOriginal(token: string, body: object): Promise<void>;
  deleteOriginal(token: string): Promise<void>;
  followUp(token: string, body: object): Promise<void>;
}

export interface RespondDeps {
  bot: DiscordBot;
  clock: Clock;
  logger: Logger;
  webhook: InteractionWebhook;
  /** Subcommands always deferred: the HTTP response goes out before their work starts. */
  deferSubcommands: ReadonlySet<string>;
  /** Anything else not answered within this many ms is deferred too (Discord allows 3 s). */
  deferAfterMs: number;
  /** Sees every call and its reply (metrics, tests). */
  observe?: (call: CommandCall, reply: Reply) => void;
}

/** The HTTP response to send now, and the work (if any) that finishes the answer after it. */
export interface Response {
  body: APIInteractionResponse;
  after?: () => Promise<void>;
}

type Mode = 'reply' | 'update';

function contextOf(deps: RespondDeps, interaction: APIInteraction): CommandContext {
  return deps.bot.contextFor(
    channelRefOf(interaction),
    commandUserOf(interaction),
    MANAGE_PERMISSION,
  );
}

async function runObserved(
  deps: RespondDeps,
  call: CommandCall,
  ctx: CommandContext,
): Promise<Reply> {
  const reply = await runCommand(call, ctx);
  deps.observe?.(call, reply);
  return reply;
}

/** A new message: the rendered body, private to the caller when ephemeral. */
function newMessage(message: DiscordMessage) {
  return {
    ...messageBody(message),
    ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** An edit replaces every field: no content means clear the old content (as discord.js sends it). */
function editedMessage(message: DiscordMessage) {
  return { ...messageBody(message), content: message.content ?? '' };
}

function immediate(message: DiscordMessage, mode: Mode): APIInteractionResponse {
  if (mode === 'update' && !message.ephemeral) {
    return { type: InteractionResponseType.UpdateMessage, data: editedMessage(message) };
  }
  return { type: InteractionResponseType.ChannelMessageWithSource, data: newMessage(message) };
}

function refusal(text: string): Response {
  return {
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: text, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    },
  };
}

/** After a deferral: edit the original, or (ephemeral answers) answer privately instead. */
async function finishDeferred(
  deps: RespondDeps,
  interaction: APIInteraction,
  answer: Promise<DiscordMessage>,
  mode: Mode,
): Promise<void> {
  const { token } = interaction;
  const message = await answer;
  if (!message.ephemeral) return deps.webhook.editOriginal(token, editedMessage(message));
  // A deferred reply is public: an ephemeral answer replaces it with a private follow-up.
  if (mode === 'reply') await deps.webhook.deleteOriginal(token);
  await deps.webhook.followUp(token, newMessage(message));
}

/**
 * Runs a call within Discord's 3 s: answered in the HTTP response when the reply is in
 * hand in time, else deferred (5, or 6 for a button's message) and edited afterwards.
 */
async function answerCall(
  deps: RespondDeps,
  interaction: APIInteraction,
  call: CommandCall,
  mode: Mode,
): Promise<Response> {
  const ctx = contextOf(deps, interaction);
  const run = () => runObserved(deps, call, ctx);
  const deferred: APIInteractionResponse = {
    type:
      mode === 'update'
        ? InteractionResponseType.DeferredMessageUpdate
        : InteractionResponseType.DeferredChannelMessageWithSource,
  };
  // A refusal is instant: only work that will really run is deferred up front.
  const refused = findSubcommand(call.name)?.manage === true && !ctx.user.canManageChannel;
  if (deps.deferSubcommands.has(call.name) && !refused) {
    return {
      body: deferred,
      after: () =>
        finishDeferred(deps, interaction, interactionMessage(deps, run, interaction.id), mode),
    };
  }
  // The whole answer races the deadline, parking its paging buttons included: that store
  // write can wait on another writer's lock (or a pool connection) like any other.
  const answer = interactionMessage(deps, run, interaction.id);
  const quick = await within(answer, deps.deferAfterMs);
  if (quick) return { body: immediate(quick, mode) };
  return { body: deferred, after: () => finishDeferred(deps, interaction, answer, mode) };
}

async function answerAutocomplete(
  deps: RespondDeps,
  interaction: APIInteraction,
): Promise<Response> {
  const data = interaction.data as { options?: Parameters<typeof focusedOption>[0] };
  const focused = focusedOption(data.options);
  const ctx = contextOf(deps, interaction);
  const choices = focused
    ? await autocomplete(focused.subcommand, focused.name, focused.value, ctx)
    : [];
  return {
    body: {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: {
        choices: choices
          .slice(0, 25)
          .map((c) => ({ name: c.name.slice(0, 100), value: c.value.slice(0, 100) })),
      },
    },
  };
}

async function answerComponent(deps: RespondDeps, interaction: APIInteraction): Promise<Response> {
  const data = interaction.data as { custom_id: string; component_type: number; values?: string[] };
  if (data.component_type === ComponentType.Button && isParkedPageId(data.custom_id)) {
    // Deferred before the store is read: a slow database must not cost the click its 3 s.
    const work = async (): Promise<Reply> => {
      const request = await decodePageCustomId(data.custom_id, deps.bot.store);
      if (!request) return EXPIRED_BUTTON;
      return runObserved(deps, pageCall(request), contextOf(deps, interaction));
    };
    return {
      body: { type: InteractionResponseType.DeferredMessageUpdate },
      after: () =>
        finishDeferred(deps, interaction, interactionMessage(deps, work, interaction.id), 'update'),
    };
  }
  if (data.component_type === ComponentType.Button) {
    const request = await decodePageCustomId(data.custom_id, deps.bot.store);
    if (!request) return Promise.resolve(refusal(EXPIRED_BUTTON.message));
    return answerCall(deps, interaction, pageCall(request), 'update');
  }
  const call =
    data.component_type === ComponentType.StringSelect
      ? decodeChoice(data.custom_id, data.values?.[0] ?? '')
      : null;
  if (!call) return Promise.resolve(refusal('This menu has expired: run the command again.'));
  return answerCall(deps, interaction, call, 'update');
}

/**
 * The response to one verified interaction. Throws only on a fault (the server answers it);
 * PING is answered with PONG, which is how Discord checks the endpoint URL.
 */
export async function respond(deps: RespondDeps, interaction: APIInteraction): Promise<Response> {
  switch (interaction.type) {
    case InteractionType.Ping:
      return { body: { type: InteractionResponseType.Pong } };
    case InteractionType.ApplicationCommandAutocomplete:
      return answerAutocomplete(deps, interaction);
    case InteractionType.ApplicationCommand: {
      const call = callFromOptions((interaction.data as { options?: [] }).options);
      if (!call) return refusal('Paperboy only knows /papers <subcommand>.');
      return answerCall(deps, interaction, call, 'reply');
    }
    case InteractionType.MessageComponent:
      return answerComponent(deps, interaction);
    default:
      return refusal('Paperboy does not handle this kind of interaction.');
  }
}

/** The work's result if it settles within `ms`, else `null` (the caller defers). */
function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
