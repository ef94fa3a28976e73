import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerTo } from './adapters/discord/harness.js';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord/fake-discord.js';
import { sendCommand } from './fakes/discord/interactions.js';
import { type FakeSlack, startFakeSlack } from './fakes/slack/fake-slack.js';
import { slashCommandPayload } from './fakes/slack/signed-request.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.discord-secret-token-value-0123';
const SLACK_BOT_TOKEN = 'xoxb-slack-secret-bot-token';
const SLACK_APP_TOKEN = 'xapp-slack-secret-app-token';

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)),
  );
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm start with Discord and Slack tokens (both adapters in one process)', () => {
  let discord: FakeDiscord | undefined;
  let slack: FakeSlack | undefined;
  let child: ChildProcess | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await discord?.close();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers /papers on both platforms, serves /healthz and /metrics, never logs a token, and exits 0 on SIGTERM', async () => {
    discord = await startFakeDiscord();
    slack = await startFakeSlack();
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-main-'));
    const configFile = path.join(dir, 'config.json');
    // Offline: no real feed is polled.
    writeFileSync(configFile, JSON.stringify({ sources: { huggingface: { enabled: false } } }));

    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...cleanEnv(),
        PAPERBOY_DATA_DIR: path.join(dir, 'data'),
        PAPERBOY_CONFIG: configFile,
        PAPERBOY_LOG_LEVEL: 'debug',
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_GUILD_ID: discord.guildId,
        DISCORD_API_URL: discord.apiUrl,
        SLACK_BOT_TOKEN,
        SLACK_APP_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        // Any free port; the log line that says where it serves names it.
        PAPERBOY_METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = exitOf(child);

    await discord.waitForIdentify(1, 15_000);
    const fakeSlack = slack;
    await fakeSlack.waitFor(
      () => fakeSlack.socket.connections === 1,
      15_000,
      'socket mode connection',
    );
    await discord.waitFor((r) => r.method === 'PUT' && /\/commands$/.test(r.path), 15_000);

    const answer = await answerTo(
      discord,
      sendCommand(discord, 'show', { paper: 'CycleQD' }),
      10_000,
    );
    expect(JSON.stringify(answer.message)).toContain('CycleQD');

    fakeSlack.socket.send(
      'slash_commands',
      slashCommandPayload({ text: 'search robotics', responseUrl: fakeSlack.responseUrl('main') }),
      'env-main',
    );
    const [response] = await fakeSlack.waitFor(
      () => (fakeSlack.responsesTo('main').length > 0 ? fakeSlack.responsesTo('main') : undefined),
      10_000,
      'the slack answer',
    );
    expect(JSON.stringify(response)).toContain('RoboGen');

    // Operations in platform mode: both platforms connected, both commands counted.
    const port = Number(/"port":(\d+)[^\n]*serving \/healthz/.exec(output)?.[1]);
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      platforms: { discord: true, slack: true },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('paperboy_commands_total{subcommand="show",outcome="ok"} 1');
    expect(metrics).toContain('paperboy_commands_total{subcommand="search",outcome="ok"} 1');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const secret of [DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_APP_TOKEN]) {
      expect(output).not.toContain(secret);
    }
  }, 60_000);
});
