import type { ChannelRef } from '../core/store/store.js';

/** Discord DMs (and group DMs) all live under this workspace id; each belongs to its members. */
const DISCORD_DM_WORKSPACE = 'dm';

/** What adapters store when a payload names no workspace (Slack team id missing). */
const NO_WORKSPACE = new Set(['', 'unknown']);

/**
 * A conversation that belongs to its members, not to the workspace: a Discord DM, a Slack
 * DM (`D…`) or a Slack group DM / legacy private channel (`G…`). Its settings show only
 * inside it, and it sees nothing of its workspace.
 */
function isPrivateConversation(ref: ChannelRef): boolean {
  if (ref.platform === 'discord') return ref.workspace === DISCORD_DM_WORKSPACE;
  if (ref.platform === 'slack') return ref.channel.startsWith('D') || ref.channel.startsWith('G');
  return false;
}

/**
 * One tenant never sees another (docs/tenants.md): a command shows channels of the caller's
 * own Discord server or Slack workspace (the terminal is one tenant). A private conversation,
 * or a channel whose workspace the payload did not name, is a tenant of its own: only that
 * very channel (same workspace id too, so a DM whose team id differs between payloads, as
 * on Enterprise Grid, sees less, never another workspace's channels).
 */
export function sameTenant(caller: ChannelRef, other: ChannelRef): boolean {
  if (caller.platform !== other.platform || caller.workspace !== other.workspace) return false;
  if (caller.channel === other.channel) return true;
  if (isPrivateConversation(caller) || isPrivateConversation(other)) return false;
  return !NO_WORKSPACE.has(caller.workspace);
}

/**
 * Which of `known` a caller may see: its tenant's channels (`sameTenant`), except from a
 * channel shared between organisations (Slack Connect), where members of another
 * organisation read every answer: there only that very channel, under the caller's team id.
 * Shared is what the platform said (`shared`: an event's `is_ext_shared_channel`) or what
 * the store shows: the same channel id kept under two team ids.
 */
export function visibleFrom(
  caller: ChannelRef,
  known: readonly ChannelRef[],
  shared = false,
): (other: ChannelRef) => boolean {
  if (!seesOnlyItself(caller, known, shared)) return (other) => sameTenant(caller, other);
  return (other) =>
    other.platform === caller.platform &&
    other.workspace === caller.workspace &&
    other.channel === caller.channel;
}

/**
 * The caller sees no channel but itself (`visibleFrom`): a private conversation, a channel
 * whose workspace is not named, or a shared one. With `known` empty, what the platform and
 * the channel's own id tell, before any store read (a shared channel the store alone shows
 * is then missed: `visibleFrom` with the store's channels still filters).
 */
export function seesOnlyItself(
  caller: ChannelRef,
  known: readonly ChannelRef[],
  shared = false,
): boolean {
  if (shared || isPrivateConversation(caller) || NO_WORKSPACE.has(caller.workspace)) return true;
  return known.some(
    (ref) =>
      ref.platform === caller.platform &&
      ref.channel === caller.channel &&
      ref.workspace !== caller.workspace,
  );
}
