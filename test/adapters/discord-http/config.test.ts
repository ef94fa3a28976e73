import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { isPaperboyError } from '../../../src/core/errors.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const KEY = 'a'.repeat(64);
const DISCORD = {
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.discord-token-value-0123456789',
  DISCORD_APPLICATION_ID: '1234567890',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ env, rootDir: ROOT });
  } catch (error) {
    if (!isPaperboyError(error, 'CONFIG_INVALID')) throw error;
    return error.message.split('\n').slice(1);
  }
  throw new Error('expected loadConfig to reject the configuration');
}

describe('config: Discord over HTTP', () => {
  it('stays on the gateway without DISCORD_PUBLIC_KEY', () => {
    expect(loadConfig({ env: DISCORD, rootDir: ROOT }).discord.interactions).toBeNull();
  });

  it('DISCORD_PUBLIC_KEY selects HTTP interactions, on PORT unless DISCORD_INTERACTIONS_PORT is set', () => {
    const onPort = loadConfig({
      env: { ...DISCORD, DISCORD_PUBLIC_KEY: KEY.toUpperCase(), PORT: '8080' },
      rootDir: ROOT,
    });
    expect(onPort.discord.interactions).toEqual({ publicKey: KEY, port: 8080 });
    const own = loadConfig({
      env: { ...DISCORD, DISCORD_PUBLIC_KEY: KEY, DISCORD_INTERACTIONS_PORT: '8081' },
      rootDir: ROOT,
    });
    expect(own.discord.interactions).toEqual({ publicKey: KEY, port: 8081 });
    expect(
      loadConfig({ env: { ...DISCORD, DISCORD_PUBLIC_KEY: KEY }, rootDir: ROOT }).discord
        .interactions?.port,
    ).toBe(3000);
  });

  it('names what is wrong: a malformed key, a key without a token, a bad port', () => {
    expect(problemsOf({ ...DISCORD, DISCORD_PUBLIC_KEY: 'abc' })).toEqual([
      '  - env DISCORD_PUBLIC_KEY: must be the 64-hex-digit public key from the developer portal',
    ]);
    expect(problemsOf({ DISCORD_PUBLIC_KEY: KEY }).join('\n')).toContain(
      'env DISCORD_PUBLIC_KEY: needs DISCORD_TOKEN and DISCORD_APPLICATION_ID',
    );
    expect(
      problemsOf({ ...DISCORD, DISCORD_PUBLIC_KEY: KEY, DISCORD_INTERACTIONS_PORT: 'x' }),
    ).toEqual(['  - env DISCORD_INTERACTIONS_PORT: must be a port number (0-65535)']);
  });

  it('refuses to share a port with Slack’s HTTP receiver, but not with Socket Mode', () => {
    const slackHttp = { SLACK_BOT_TOKEN: 'xoxb-value', SLACK_SIGNING_SECRET: 'secret-value' };
    expect(problemsOf({ ...DISCORD, ...slackHttp, DISCORD_PUBLIC_KEY: KEY }).join('\n')).toMatch(
      /DISCORD_INTERACTIONS_PORT: Slack's HTTP receiver already listens on port 3000/,
    );
    const apart = loadConfig({
      env: { ...DISCORD, ...slackHttp, DISCORD_PUBLIC_KEY: KEY, DISCORD_INTERACTIONS_PORT: '3001' },
      rootDir: ROOT,
    });
    expect([apart.slack.secrets?.port, apart.discord.interactions?.port]).toEqual([3000, 3001]);
    const socket = loadConfig({
      env: { ...DISCORD, ...slackHttp, SLACK_APP_TOKEN: 'xapp-value', DISCORD_PUBLIC_KEY: KEY },
      rootDir: ROOT,
    });
    expect(socket.discord.interactions?.port).toBe(3000);
  });
});
