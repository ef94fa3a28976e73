import type { FakeDiscord } from './fake-discord.js';
import { CHANNEL_TYPES, channelPayload, nextSnowflake, userPayload } from './payloads.js';

/** Permission bits the fake hands out (decimal strings, as Discord sends them). */
export const PERMISSIONS = {
  none: '0',
  /** View Channel + Send Messages. */
  member: String((1n << 10n) | (1n << 11n)),
  /** … plus Manage Channels. */
  manager: String((1n << 10n) | (1n << 11n) | (1n << 4n)),
};

export interface InteractionPlace {
  /** Guild channel id, or a DM channel id with `dm: true`. */
  channelId?: string;
  dm?: boolean;
  userId?: string;
  permissions?: string;
}

export type OptionValue = string | number;

export interface SentInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
}

function basePayload(fake: FakeDiscord, type: number, place: InteractionPlace): SentInteraction {
  const id = nextSnowflake();
  const token = `tok-${id}`;
  const user = userPayload(place.userId ?? '600000000000000001', 'ada');
  const channelId = place.channelId ?? (place.dm ? '500000000000000001' : fake.channels.text);
  // The channel's guild, so the gateway routes the interaction to that guild's shard.
  const guildId = (place.dm ? undefined : fake.channel(channelId)?.guild_id) ?? fake.guildId;
  const common = {
    id,
    application_id: fake.applicationId,
    type,
    token,
    version: 1,
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    attachment_size_limit: 10_485_760,
  };
  if (place.dm) {
    fake.addDmChannel(channelId, user);
    const channel = fake.channel(channelId);
    return {
      id,
      token,
      payload: {
        ...common,
        context: 1,
        channel_id: channelId,
        channel: channel ? channelPayload(channel) : undefined,
        user,
        app_permissions: String((1n << 11n) | (1n << 14n)),
      },
    };
  }
  const channel = fake.channel(channelId);
  return {
    id,
    token,
    payload: {
      ...common,
      context: 0,
      guild_id: guildId,
      guild_locale: 'en-US',
      guild: { id: guildId, locale: 'en-US', features: [] },
      channel_id: channelId,
      channel: channel ? channelPayload(channel) : { id: channelId, type: CHANNEL_TYPES.text },
      app_permissions: PERMISSIONS.manager,
      member: {
        user,
        roles: [],
        permissions: place.permissions ?? PERMISSIONS.member,
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        nick: null,
        avatar: null,
        premium_since: null,
        pending: false,
      },
    },
  };
}

function dispatch(fake: FakeDiscord, built: SentInteraction): SentInteraction {
  fake.dispatch('INTERACTION_CREATE', built.payload);
  return built;
}

function optionsPayload(options: Record<string, OptionValue | undefined>, focused?: string) {
  return Object.entries(options)
    .filter((entry): entry is [string, OptionValue] => entry[1] !== undefined)
    .map(([name, value]) => ({
      name,
      type: typeof value === 'number' ? 4 : 3,
      value,
      ...(name === focused ? { focused: true } : {}),
    }));
}

/** The `data` of a `/papers <subcommand>` interaction. */
function papersData(subcommand: string, options: ReturnType<typeof optionsPayload>) {
  return {
    id: '810000000000000001',
    name: 'papers',
    type: 1,
    options: [{ type: 1, name: subcommand, options }],
  };
}

/** `/papers <subcommand> …` as a chat input command (interaction type 2). */
export function sendCommand(
  fake: FakeDiscord,
  subcommand: string,
  options: Record<string, OptionValue | undefined> = {},
  place: InteractionPlace = {},
): SentInteraction {
  return dispatch(fake, commandInteraction(fake, subcommand, options, place));
}

/** The same command interaction, built but not sent (HTTP interactions POST it instead). */
export function commandInteraction(
  fake: FakeDiscord,
  subcommand: string,
  options: Record<string, OptionValue | undefined> = {},
  place: InteractionPlace = {},
): SentInteraction {
  const built = basePayload(fake, 2, place);
  built.payload.data = papersData(subcommand, optionsPayload(options));
  return built;
}

/** An autocomplete request (type 4) with `focused` being typed. */
export function sendAutocomplete(
  fake: FakeDiscord,
  subcommand: string,
  focused: string,
  options: Record<string, OptionValue | undefined>,
  place: InteractionPlace = {},
): SentInteraction {
  return dispatch(fake, autocompleteInteraction(fake, subcommand, focused, options, place));
}

/** The same autocomplete request, built but not sent. */
export function autocompleteInteraction(
  fake: FakeDiscord,
  subcommand: string,
  focused: string,
  options: Record<string, OptionValue | undefined>,
  place: InteractionPlace = {},
): SentInteraction {
  const built = basePayload(fake, 4, place);
  built.payload.data = papersData(subcommand, optionsPayload(options, focused));
  return built;
}

/** A click on a button (type 3) or a choice in a string select of a message the bot sent. */
export function sendComponent(
  fake: FakeDiscord,
  customId: string,
  message: Record<string, unknown>,
  place: InteractionPlace = {},
  values?: string[],
): SentInteraction {
  return dispatch(fake, componentInteraction(fake, customId, message, place, values));
}

/** The same component interaction, built but not sent. */
export function componentInteraction(
  fake: FakeDiscord,
  customId: string,
  message: Record<string, unknown>,
  place: InteractionPlace = {},
  values?: string[],
): SentInteraction {
  const built = basePayload(fake, 3, place);
  built.payload.message = {
    ...message,
    channel_id: (built.payload.channel_id as string) ?? message.channel_id,
  };
  built.payload.data = values
    ? { custom_id: customId, component_type: 3, values }
    : { custom_id: customId, component_type: 2 };
  return built;
}
