import { PermissionFlagsBits } from 'discord.js';

/**
 * What the bot needs in a channel: see it, post embeds, read its own history back
 * (delivery reconciliation), and post digests as threads and forum posts. Manage
 * Messages is not needed: crossposting its own messages only takes Send Messages.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads;

/** The OAuth2 URL that adds the bot with its commands and exactly these permissions. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
