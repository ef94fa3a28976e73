import type { APIInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  callFromOptions,
  channelRefOf,
  commandUserOf,
  focusedOption,
} from '../../../src/adapters/discord-http/interaction-payload.js';

const user = { id: '600', username: 'ada' };

function inGuild(permissions: bigint): APIInteraction {
  return {
    type: 2,
    guild_id: '700',
    channel_id: '100',
    member: { user, permissions: String(permissions) },
  } as unknown as APIInteraction;
}

describe('raw interaction JSON → command facts (pure)', () => {
  it('Manage Channels, or Administrator, lets a member manage; plain members may not', () => {
    expect(commandUserOf(inGuild(1n << 4n)).canManageChannel).toBe(true);
    expect(commandUserOf(inGuild(1n << 3n)).canManageChannel).toBe(true);
    expect(commandUserOf(inGuild((1n << 10n) | (1n << 11n))).canManageChannel).toBe(false);
  });

  it('keys a DM under the workspace dm, and its user manages it', () => {
    const dm = { type: 2, channel_id: '500', user } as unknown as APIInteraction;
    expect(channelRefOf(dm)).toEqual({ platform: 'discord', workspace: 'dm', channel: '500' });
    expect(commandUserOf(dm)).toEqual({ id: '600', name: 'ada', canManageChannel: true });
    expect(channelRefOf(inGuild(0n))).toEqual({
      platform: 'discord',
      workspace: '700',
      channel: '100',
    });
  });

  it('maps subcommand options by the spec, dropping names the spec does not know', () => {
    const options = [
      {
        type: 1,
        name: 'search',
        options: [
          { type: 3, name: 'query', value: 'robotics' },
          { type: 3, name: 'bogus', value: 'x' },
        ],
      },
    ];
    expect(callFromOptions(options as never)).toEqual({
      name: 'search',
      options: { query: 'robotics' },
    });
    expect(callFromOptions([] as never)).toBeNull();
    const typing = [
      { type: 1, name: 'show', options: [{ type: 3, name: 'paper', value: 'Cyc', focused: true }] },
    ];
    expect(focusedOption(typing as never)).toEqual({
      subcommand: 'show',
      name: 'paper',
      value: 'Cyc',
    });
  });
});
