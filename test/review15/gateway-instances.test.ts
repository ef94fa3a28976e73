import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ROOT } from '../live/harness.js';

// Review 15: docker-compose.yml ran two instances on one PostgreSQL with DISCORD_TOKEN and
// DISCORD_APPLICATION_ID and no DISCORD_PUBLIC_KEY: both held a gateway connection, and
// Discord sends every interaction to every gateway session of the application, so both ran
// and answered every command. The fix is the deployment's: split shards (the compose file
// now does), HTTP interactions behind a load balancer (one instance gets each command), or
// one gateway instance; start-up warns otherwise.
// (The reviewer's test ran two gateway adapters and asserted one answer: that behaviour is
// Discord's, which Paperboy does not change, so it gave way to these.)

const DISCORD = {
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.abcdefghijklmnopqrstuvwxyz0123456789AB',
  DISCORD_APPLICATION_ID: '123456789012345678',
};
const PUBLIC_KEY = 'a'.repeat(64);
const DATABASE_URL = 'postgres://paperboy:pw@db:5432/paperboy';

function warnings(env: Record<string, string>): string[] {
  const lines: string[] = [];
  loadConfig({ env, rootDir: ROOT, onWarning: (line) => lines.push(line) });
  return lines;
}

describe('several instances on one PostgreSQL store with Discord', () => {
  it('the shipped docker-compose.yml gives each gateway instance its own shards', () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const shards = [...compose.matchAll(/^\s+PAPERBOY_DISCORD_SHARDS: (\S+)$/gm)].map((m) => m[1]);
    expect(shards).toEqual(['0/2', '1/2']);
    // Each instance's settings as the compose file gives them: no shared-gateway warning.
    for (const value of shards)
      expect(
        warnings({
          ...DISCORD,
          PAPERBOY_DATABASE_URL: DATABASE_URL,
          PAPERBOY_DISCORD_SHARDS: value as string,
        }),
      ).toEqual([]);
  });

  it('gateway mode with PAPERBOY_DATABASE_URL warns once at start-up, naming the way out', () => {
    const lines = warnings({ ...DISCORD, PAPERBOY_DATABASE_URL: DATABASE_URL });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DISCORD_PUBLIC_KEY');
    expect(lines[0]).toMatch(/one gateway instance/);
    expect(lines[0]).toContain('PAPERBOY_DISCORD_SHARDS');
    expect(lines[0]).not.toContain('pw@');
  });

  it('HTTP interactions on PostgreSQL, or the gateway on SQLite, start without that warning', () => {
    expect(
      warnings({ ...DISCORD, DISCORD_PUBLIC_KEY: PUBLIC_KEY, PAPERBOY_DATABASE_URL: DATABASE_URL }),
    ).toEqual([]);
    expect(warnings({ ...DISCORD })).toEqual([]);
  });
});
