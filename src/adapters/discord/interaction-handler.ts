import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { autocomplete } from '../../commands/autocomplete.js';
import type { CommandContext, CommandUser } from '../../commands/context.js';
import { replyInHand, runCommand } from '../../commands/dispatch.js';
import type { ErrorReply, Reply } from '../../commands/reply.js';
import { type CommandCall, findSubcommand } from '../../commands/spec.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import type { ChannelRef } from '../../core/store/store.js';
import { interactionMessage } from './interaction-message.js';
import { decodeChoice, decodePageCustomId, isParkedPageId, pageCall } from './paging.js';
import type { DiscordMessage } from './render-reply.js';

export const MANAGE_PERMISSION = 'Manage Channels';

/** A paging button whose parked request is gone (expired state). */
export const EXPIRED_BUTTON: ErrorReply = {
  kind: 'error',
  code: 'NOT_FOUND',
  message: 'This button has expired: run the command again.',
};

/** What the adapter needs of the composed bot (src/app.ts createBot). */
export interface DiscordBot {
  store: AsyncStore;
  contextFor(channel: ChannelRef, user: CommandUser, managePermission: string): CommandContext;
}

export interface InteractionDeps {
  bot: DiscordBot;
  clock: Clock;
  logger: Logger;
  /** Runs a command after the defer (default `runCommand`); tests and benches wrap it. */
  run?: (call: CommandCall, ctx: CommandContext) => Promise<Reply>;
  /** Sees every call and its reply (metrics, tests). */
  observe?: (call: CommandCall, reply: Reply) => void;
}

type Answerable = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

function channelRef(interaction: Interaction): ChannelRef {
  // A DM has no guild: the user's own DM channel, under the workspace `dm`.
  return interaction.inGuild()
    ? { platform: 'discord', workspace: interaction.guildId, channel: interaction.channelId ?? '' }
    : {
        platform: 'discord',
        workspace: 'dm',
        channel: interaction.channelId ?? interaction.user.id,
      };
}

function commandUser(interaction: Interaction): CommandUser {
  const canManageChannel = interaction.inGuild()
    ? (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false)
    : true; // In a DM the user manages their own digest.
  return { id: interaction.user.id, name: interaction.user.username, canManageChannel };
}

function contextOf(deps: InteractionDeps, interaction: Interaction): CommandContext {
  return deps.bot.contextFor(channelRef(interaction), commandUser(interaction), MANAGE_PERMISSION);
}

function editOptions(message: DiscordMessage): InteractionEditReplyOptions {
  return {
    content: message.content ?? null,
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowed_mentions,
  };
}

function replyOptions(message: DiscordMessage): InteractionReplyOptions {
  return {
    ...(message.content ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowed_mentions,
    ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Answers at once: a reply in hand, or a refusal. `update` edits the message a button sits on. */
async function answerNow(
  deps: InteractionDeps,
  interaction: Answerable,
  reply: Reply,
  mode: 'reply' | 'update',
): Promise<void> {
  const message = await interactionMessage(deps, async () => reply, interaction.id);
  if (mode === 'update' && !message.ephemeral && !interaction.isChatInputCommand()) {
    await interaction.update(editOptions(message));
  } else {
    await interaction.reply(replyOptions(message));
  }
}

/**
 * Answers within Discord's 3 s whatever the store costs: a reply already in hand (help,
 * a refusal, an invalid option) goes out at once; anything else is deferred *before* the
 * command runs, because store and search work is synchronous and would block the defer.
 */
async function answer(
  deps: InteractionDeps,
  interaction: Answerable,
  call: CommandCall,
  mode: 'reply' | 'update',
): Promise<void> {
  const ctx = contextOf(deps, interaction);
  const ready = await replyInHand(call, ctx);
  if (ready) {
    deps.observe?.(call, ready);
    return answerNow(deps, interaction, ready, mode);
  }
  await acknowledge(interaction, mode);
  await finishDeferred(deps, interaction, mode, () => runObserved(deps, call, ctx));
}

async function runObserved(
  deps: InteractionDeps,
  call: CommandCall,
  ctx: CommandContext,
): Promise<Reply> {
  const reply = await (deps.run ?? runCommand)(call, ctx);
  deps.observe?.(call, reply);
  return reply;
}

async function acknowledge(interaction: Answerable, mode: 'reply' | 'update'): Promise<void> {
  if (mode === 'update' && !interaction.isChatInputCommand()) await interaction.deferUpdate();
  else await interaction.deferReply();
}

/** After the defer: edits the answer in, or (ephemeral answers) answers privately instead. */
async function finishDeferred(
  deps: InteractionDeps,
  interaction: Answerable,
  mode: 'reply' | 'update',
  work: () => Promise<Reply>,
): Promise<void> {
  const message = await interactionMessage(deps, work, interaction.id);
  if (message.ephemeral && mode === 'reply') {
    // A deferred reply is public; an ephemeral answer replaces it with a private follow-up.
    await interaction.deleteReply();
    await interaction.followUp(replyOptions(message));
    return;
  }
  if (message.ephemeral) await interaction.followUp(replyOptions(message));
  else await interaction.editReply(editOptions(message));
}

/**
 * A paging button whose request is parked in the store: deferred before the store is read
 * (a slow database must not cost the click its 3 s), then re-run like any page.
 */
async function answerParkedPage(deps: InteractionDeps, interaction: ButtonInteraction) {
  await acknowledge(interaction, 'update');
  await finishDeferred(deps, interaction, 'update', async () => {
    const request = await decodePageCustomId(interaction.customId, deps.bot.store);
    if (!request) return EXPIRED_BUTTON;
    return runObserved(deps, pageCall(request), contextOf(deps, interaction));
  });
}

function callFromOptions(interaction: ChatInputCommandInteraction): CommandCall {
  const name = interaction.options.getSubcommand(true);
  const options: CommandCall['options'] = {};
  for (const option of findSubcommand(name)?.options ?? []) {
    const value = interaction.options.get(option.name)?.value;
    if (typeof value === 'string' || typeof value === 'number') options[option.name] = value;
  }
  return { name, options };
}

async function answerAutocomplete(deps: InteractionDeps, interaction: AutocompleteInteraction) {
  const focused = interaction.options.getFocused(true);
  const subcommand = interaction.options.getSubcommand(false) ?? '';
  const choices = await autocomplete(
    subcommand,
    focused.name,
    String(focused.value),
    contextOf(deps, interaction),
  );
  await interaction.respond(
    choices.slice(0, 25).map((c) => ({ name: c.name.slice(0, 100), value: c.value.slice(0, 100) })),
  );
}

async function refuse(interaction: Answerable, text: string): Promise<void> {
  await interaction.reply({
    content: text,
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

/** Routes one interaction; never throws (a failure is logged and, when possible, answered). */
export async function handleInteraction(
  deps: InteractionDeps,
  interaction: Interaction,
): Promise<void> {
  try {
    if (interaction.isAutocomplete()) return await answerAutocomplete(deps, interaction);
    if (interaction.isChatInputCommand()) {
      return await answer(deps, interaction, callFromOptions(interaction), 'reply');
    }
    if (interaction.isButton()) {
      if (isParkedPageId(interaction.customId)) return await answerParkedPage(deps, interaction);
      const request = await decodePageCustomId(interaction.customId, deps.bot.store);
      if (!request) return await refuse(interaction, EXPIRED_BUTTON.message);
      return await answer(deps, interaction, pageCall(request), 'update');
    }
    if (interaction.isStringSelectMenu()) {
      const call = decodeChoice(interaction.customId, interaction.values[0] ?? '');
      if (!call) return await refuse(interaction, 'This menu has expired: run the command again.');
      return await answer(deps, interaction, call, 'update');
    }
  } catch (error) {
    deps.logger.error({ err: error, interaction: interaction.id }, 'Discord interaction failed');
    if (interaction.isRepliable() && !interaction.replied && !interaction.deferred) {
      await interaction
        .reply({
          content: 'Paperboy could not answer that; the error has been logged.',
          flags: MessageFlags.Ephemeral,
        })
        .catch((replyError: unknown) => {
          deps.logger.warn({ err: replyError }, 'could not tell the user about the failure');
        });
    }
  }
}
