import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/fake-discord.js';
import { ROOT, TOKEN } from './harness.js';

/** Runs `npm run register`'s entry with node directly, with only the fake's Discord settings. */
function register(
  fake: FakeDiscord,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DISCORD|SLACK|PAPERBOY)_/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    PAPERBOY_LOG_LEVEL: 'info',
  });
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/adapters/discord/register-cli.ts'],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run register', () => {
  let fake: FakeDiscord | undefined;

  afterEach(async () => {
    await fake?.close();
  });

  it('registers /papers once, then finds it up to date, never printing the token', async () => {
    fake = await startFakeDiscord();
    const first = await register(fake);
    expect(first.code).toBe(0);
    expect(fake.commandWrites).toBe(1);
    const second = await register(fake);
    expect(second.code).toBe(0);
    expect(fake.commandWrites).toBe(1);
    expect(second.stderr).toContain('already up to date');
    for (const run of [first, second]) expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
