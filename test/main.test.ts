import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-main-'));
  dirs.push(dir);
  return dir;
}

/** The environment without any platform token: the terminal is what starts. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm start`'s entry with piped stdin and waits for it to exit (at EOF). */
function runMain(input: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Replies come in input order, a blank line apart; each starts with one of these lines. */
const REPLY_START =
  /\n\n(?=Papers matching|Agent Skill Acquisition|Subscribed\n|Digest scheduled\n|Subscriptions in this channel\n|Error: )/;

function replies(stdout: string): string[] {
  return stdout.trimEnd().split(REPLY_START);
}

describe('npm start (terminal) as a child process', () => {
  const dataDir = freshDataDir();
  const env = cleanEnv({ PAPERBOY_DATA_DIR: dataDir, PAPERBOY_LOG_LEVEL: 'warn' });

  it('answers piped commands on stdout and exits 0 at end of input', async () => {
    const run = await runMain(
      [
        'search robotics',
        '/papers show CycleQD',
        'subscribe robotics',
        'schedule 07:45 Asia/Tokyo weekdays 5',
        'subscriptions',
        'schedule 09:00 Mars/Olympus_Mons',
        'frobnicate now',
      ].join('\n'),
      env,
    );
    expect(run.code).toBe(0);
    const [search, show, subscribe, schedule, subscriptions, badZone, unknown, ...rest] = replies(
      run.stdout,
    );
    expect(rest).toEqual([]);

    expect(search).toMatch(/^Papers matching "robotics"/);
    for (const title of ['RoboGen:', 'UBSoft:', 'RaC:']) expect(search).toContain(title);
    expect(search).toContain('next: search robotics page:2');

    expect(show).toMatch(/^Agent Skill Acquisition for Large Language Models via CycleQD\n/);
    expect(show).toMatch(/Authors: +4 authors/);
    expect(show).toMatch(/Date: +2024-10-16/);
    // The full abstract, first sentence to last.
    expect(show).toContain('Training large language models to acquire specific skills');
    expect(show).toMatch(/applicability across different\s+domains\.$/);

    expect(subscribe).toMatch(/now follows "robotics"/);
    expect(schedule).toMatch(/07:45 Asia\/Tokyo, weekdays/);
    expect(subscriptions).toMatch(/• robotics/);
    expect(subscriptions).toMatch(/Digest: 07:45 Asia\/Tokyo/);
    expect(badZone).toMatch(/^Error: timezone "Mars\/Olympus_Mons" is not an IANA time zone/);
    expect(unknown).toMatch(/^Error: There is no subcommand "frobnicate"/);

    const banner = run.stderr.split('\n').filter((line) => line.startsWith('Paperboy:'));
    expect(banner).toHaveLength(1);
    expect(banner[0]).toMatch(/terminal/);
    for (const name of [
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
    ]) {
      expect(banner[0]).toContain(name);
    }
    expect(run.stdout).not.toContain('Paperboy:');
  });

  it('keeps subscriptions and the schedule across a restart', async () => {
    const run = await runMain('subscriptions\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/• robotics/);
    expect(run.stdout).toMatch(/Digest: 07:45 Asia\/Tokyo, weekdays \(Mon-Fri\), up to 5 papers/);
  });

  it('prints only the configuration problem, no stack, and exits 1 on a bad config', async () => {
    const run = await runMain(
      'help\n',
      cleanEnv({ PAPERBOY_DATA_DIR: freshDataDir(), PAPERBOY_LOG_LEVEL: 'loud' }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Invalid configuration:\n {2}- env PAPERBOY_LOG_LEVEL: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
