import type { ChannelRef } from '../core/store/store.js';

/** Discord DMs all live under this workspace id; each belongs to one user. */
const DISCORD_DM_WORKSPACE = 'dm';

/**
 * One tenant never sees another: a command shows channels of the caller's own Discord
 * server or Slack workspace (the terminal is one tenant). A Discord DM is its user's
 * alone, so there only the DM channel itself is the caller's.
 */
export function sameTenant(caller: ChannelRef, other: ChannelRef): boolean {
  if (caller.platform !== other.platform || caller.workspace !== other.workspace) return false;
  if (caller.platform === 'discord' && caller.workspace === DISCORD_DM_WORKSPACE) {
    return caller.channel === other.channel;
  }
  return true;
}
