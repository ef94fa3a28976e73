import {
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  PermissionsBitField,
} from 'discord.js';
import type { CommandUser } from '../../commands/context.js';
import { type CommandCall, findSubcommand } from '../../commands/spec.js';
import type { ChannelRef } from '../../core/store/store.js';

/**
 * Raw interaction JSON (as the Interactions Endpoint receives it) → what the commands
 * need. Pure: the gateway adapter reads the same facts through discord.js objects.
 */

/** A guild channel under its guild; a DM under the workspace `dm`, as the gateway adapter keys it. */
export function channelRefOf(interaction: APIInteraction): ChannelRef {
  const channel = interaction.channel?.id ?? interaction.channel_id;
  if (interaction.guild_id) {
    return { platform: 'discord', workspace: interaction.guild_id, channel: channel ?? '' };
  }
  return { platform: 'discord', workspace: 'dm', channel: channel ?? userOf(interaction).id };
}

function userOf(interaction: APIInteraction): { id: string; username: string } {
  const user = interaction.member?.user ?? interaction.user;
  if (!user) throw new Error('Discord interaction without a user or member');
  return user;
}

/** Manage Channels from the member's resolved permissions (Administrator implies it); a DM is the user's own. */
export function commandUserOf(interaction: APIInteraction): CommandUser {
  const user = userOf(interaction);
  const permissions = interaction.member?.permissions;
  const canManageChannel = interaction.guild_id
    ? permissions !== undefined &&
      new PermissionsBitField(BigInt(permissions)).has(PermissionFlagsBits.ManageChannels)
    : true;
  return { id: user.id, name: user.username, canManageChannel };
}

type Option = APIApplicationCommandInteractionDataOption;

/** The subcommand option (`/papers <subcommand> …`) and its own options. */
function subcommandOf(options: Option[] | undefined): { name: string; options: Option[] } | null {
  const sub = options?.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) return null;
  return { name: sub.name, options: sub.options ?? [] };
}

function optionValue(option: Option | undefined): string | number | undefined {
  if (!option || !('value' in option)) return undefined;
  return typeof option.value === 'string' || typeof option.value === 'number'
    ? option.value
    : undefined;
}

/** `/papers search query:robotics` → `{ name: 'search', options: { query: 'robotics' } }`. */
export function callFromOptions(options: Option[] | undefined): CommandCall | null {
  const sub = subcommandOf(options);
  if (!sub) return null;
  const call: CommandCall = { name: sub.name, options: {} };
  for (const spec of findSubcommand(sub.name)?.options ?? []) {
    const value = optionValue(sub.options.find((o) => o.name === spec.name));
    if (value !== undefined) call.options[spec.name] = value;
  }
  return call;
}

export interface FocusedOption {
  subcommand: string;
  name: string;
  value: string;
}

/** The option being typed in an autocomplete request. */
export function focusedOption(options: Option[] | undefined): FocusedOption | null {
  const sub = subcommandOf(options);
  const focused = sub?.options.find((o) => 'focused' in o && o.focused);
  if (!sub || !focused) return null;
  return { subcommand: sub.name, name: focused.name, value: String(optionValue(focused) ?? '') };
}
