import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';

/**
 * Review 13 (issue point 10, start-up errors): the same cases test/startup-errors.test.ts
 * checks for the gateway adapter, with Discord over HTTP interactions (DISCORD_PUBLIC_KEY).
 * `createDiscordHttpAdapter.start` maps neither a refused token (the 401 of command
 * registration) nor a taken DISCORD_INTERACTIONS_PORT. Each ends as "Paperboy stopped on an unexpected error: …" without the fix.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.startup-secret-token-0123456789';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function publicKeyHex(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  return Buffer.from(jwk.x, 'base64url').toString('hex');
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DISCORD_|SLACK_|PAPERBOY_|PORT$)/.test(key)),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-review13-'));
  dirs.push(dir);
  const config = path.join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ sources: { huggingface: { enabled: false } } }));
  return { ...clean, PAPERBOY_CONFIG: config, PAPERBOY_DATA_DIR: path.join(dir, 'data'), ...extra };
}

interface Exit {
  code: number | null;
  stderr: string;
}

function start(childEnv: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function lastLine(exit: Exit): string {
  expect(exit.code).toBe(1);
  expect(exit.stderr).not.toContain(DISCORD_TOKEN);
  return exit.stderr.trimEnd().split('\n').at(-1) ?? '';
}

describe('review13: start-up errors with Discord over HTTP interactions', () => {
  let discord: FakeDiscord | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await discord?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    discord = server = undefined;
  });

  it('Discord refuses the token', async () => {
    discord = await startFakeDiscord();
    discord.fail({ path: /\/commands$/, status: 401, times: Number.POSITIVE_INFINITY });
    const exit = await start(
      env({
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_PUBLIC_KEY: publicKeyHex(),
        DISCORD_INTERACTIONS_PORT: '0',
      }),
    );
    expect(lastLine(exit)).toMatch(/^Discord refused DISCORD_TOKEN \(401 Unauthorized\)/);
  }, 30_000);

  it('the interactions port is in use', async () => {
    discord = await startFakeDiscord();
    const taken = createServer();
    server = taken;
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as { port: number }).port;
    const exit = await start(
      env({
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_PUBLIC_KEY: publicKeyHex(),
        DISCORD_INTERACTIONS_PORT: String(port),
      }),
    );
    const line = lastLine(exit);
    expect(line).toMatch(new RegExp(`^Port ${port} is already in use`));
    expect(line).toMatch(/DISCORD_INTERACTIONS_PORT/);
  }, 30_000);
});
