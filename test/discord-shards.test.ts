import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { isPaperboyError } from '../src/core/errors.js';
import { MAX_SHARD_COUNT, ONE_SHARD, parseDiscordShards } from '../src/discord-shards.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.shards-test-token-0123456789';
const DISCORD = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '42' };

describe('PAPERBOY_DISCORD_SHARDS', () => {
  it.each([
    ['auto', 'auto'],
    [' AUTO ', 'auto'],
    ['1', { ids: [0], count: 1 }],
    ['3', { ids: [0, 1, 2], count: 3 }],
    ['0/2', { ids: [0], count: 2 }],
    ['1/2', { ids: [1], count: 2 }],
    ['3,0, 1/4', { ids: [0, 1, 3], count: 4 }],
    ['4-7/8', { ids: [4, 5, 6, 7], count: 8 }],
    ['0,2-3,5/6', { ids: [0, 2, 3, 5], count: 6 }],
  ])('%j runs %j', (text, shards) => {
    expect(parseDiscordShards(text)).toEqual({ ok: true, shards });
  });

  it.each([
    ['0', /^the shard count must be at least 1, not 0$/],
    ['1/0', /^the shard count must be at least 1, not 0$/],
    ['4/4', /^shard id 4 is out of range: with 4 shards the ids are 0 to 3$/],
    ['0-4/4', /^shard id 4 is out of range: with 4 shards the ids are 0 to 3$/],
    ['1/1', /^shard id 1 is out of range: with 1 shard the ids are 0 to 0$/],
    ['3-1/4', /^the range 3-1 runs backwards: write it low to high, "1-3"$/],
    ['0,1,1/4', /^shard 1 is listed twice$/],
    ['0-2,2/4', /^shard 2 is listed twice$/],
    [String(MAX_SHARD_COUNT + 1), /^the shard count must be at most 100000, not 100001$/],
    ['-1', /^must be "auto", a shard count such as "2".*"0,1\/4" or "0-3\/8"$/],
    ['0,1', /^must be "auto"/],
    ['auto/4', /^must be "auto"/],
    ['0,/2', /^must be "auto"/],
    ['1.5', /^must be "auto"/],
    ['two', /^must be "auto"/],
  ])('%j is refused: %s', (text, problem) => {
    const parsed = parseDiscordShards(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('defaults to one shard, as before sharding', () => {
    const config = loadConfig({ env: DISCORD, rootDir: ROOT });
    expect(config.discord.shards).toEqual(ONE_SHARD);
    expect(ONE_SHARD).toEqual({ ids: [0], count: 1 });
  });

  it('is read from the environment into config.discord.shards, frozen', () => {
    const config = loadConfig({
      env: { ...DISCORD, PAPERBOY_DISCORD_SHARDS: '1/3' },
      rootDir: ROOT,
    });
    expect(config.discord.shards).toEqual({ ids: [1], count: 3 });
    expect(Object.isFrozen(config.discord.shards)).toBe(true);
  });

  function problemsOf(env: Record<string, string>): string {
    try {
      loadConfig({ env, rootDir: ROOT });
    } catch (error) {
      expect(isPaperboyError(error, 'CONFIG_INVALID')).toBe(true);
      return (error as Error).message;
    }
    throw new Error('the configuration loaded');
  }

  it('a bad value is one line naming the variable and what is wrong', () => {
    expect(problemsOf({ ...DISCORD, PAPERBOY_DISCORD_SHARDS: '2/2' })).toBe(
      'Invalid configuration:\n  - env PAPERBOY_DISCORD_SHARDS: shard id 2 is out of range: with 2 shards the ids are 0 to 1',
    );
  });

  it('without DISCORD_TOKEN: a warning (a compose file may serve Slack alone), not an error', () => {
    const warnings: string[] = [];
    loadConfig({
      env: { PAPERBOY_DISCORD_SHARDS: '0/2' },
      rootDir: ROOT,
      onWarning: (line) => warnings.push(line),
    });
    expect(warnings).toEqual([
      'PAPERBOY_DISCORD_SHARDS is set but DISCORD_TOKEN is not, so no Discord gateway shard is connected.',
    ]);
  });

  it('is refused with DISCORD_PUBLIC_KEY: HTTP interactions hold no gateway connection', () => {
    expect(
      problemsOf({
        ...DISCORD,
        DISCORD_PUBLIC_KEY: 'a'.repeat(64),
        PAPERBOY_DISCORD_SHARDS: '2',
      }),
    ).toMatch(
      /env PAPERBOY_DISCORD_SHARDS: shards are gateway connections, and DISCORD_PUBLIC_KEY selects interactions over HTTP/,
    );
  });
});
