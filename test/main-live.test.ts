import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedServer } from './live/feed-server.js';
import { fixture, ROOT } from './live/harness.js';

const HF = '/api/daily_papers';
/** In hf-day1.json, and a word the bundled sample never uses. */
const WORD = 'tactile';
const TITLE = 'Dexterous Robot Grasping with Tactile Diffusion Policies';
const NO_MATCH = `No paper matches "${WORD}"`;

/** The environment without platform tokens or stray Paperboy settings: the terminal starts. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Output of a child, and a way to wait (event-driven, bounded) for what it prints. */
function watch(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.on('exit', () => {
    exited = true;
    notify();
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    until(test: (stdout: string) => boolean, what: string, limitMs = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const fail = (why: string) => {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`${why} waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        };
        const check = () => {
          if (test(stdout)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (exited) fail('child exited');
        };
        // A guard against a hung child, not a synchronisation: the wait ends on output.
        const timer = setTimeout(() => fail('gave up'), limitMs);
        listeners.add(check);
        check();
      });
    },
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

let guardTimer: NodeJS.Timeout | undefined;
/** Rejects after `ms`: bounds a wait that otherwise ends on an event. */
function guard(ms: number, what: string, stderr: () => string): Promise<never> {
  return new Promise((_, reject) => {
    guardTimer = setTimeout(
      () => reject(new Error(`gave up waiting for ${what}\n${stderr()}`)),
      ms,
    );
  });
}

describe('npm start -- --live as a child process', () => {
  let server: FeedServer | null = null;
  let child: ChildProcessWithoutNullStreams | null = null;
  let dir: string | null = null;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    server = child = dir = null;
  });

  it('polls the configured Hugging Face source, makes its papers searchable, and exits 0 at end of input', async () => {
    server = await new FeedServer(() => Date.now()).start();
    // The fake holds its answer until the test has seen the papers are not searchable yet.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.answer(HF, { body: fixture('hf-day1.json'), release: released });
    const firstRequest = server.nextRequest();

    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-main-live-'));
    const configFile = path.join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        sources: {
          huggingface: { enabled: true, baseUrl: server.baseUrl, pollMinutes: 60 },
          arxiv: { enabled: false },
        },
      }),
    );
    const spawned = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--live'], {
      cwd: ROOT,
      env: childEnv({
        PAPERBOY_DATA_DIR: path.join(dir, 'data'),
        PAPERBOY_CONFIG: configFile,
        PAPERBOY_LOG_LEVEL: 'warn',
      }),
    });
    child = spawned;
    const out = watch(spawned);
    const exit = new Promise<number | null>((resolve) =>
      spawned.on('exit', (code) => resolve(code)),
    );

    await Promise.race([
      firstRequest,
      exit.then((code) => {
        throw new Error(`child exited (${code}) before polling:\n${out.stderr()}`);
      }),
      guard(15_000, 'the poll at the fake source', out.stderr),
    ]).finally(() => clearTimeout(guardTimer));
    const [request] = server.requests(HF);
    expect(request?.headers['user-agent']).toMatch(/^Paperboy\//);

    // Held at the fake: not searchable yet (stdin stays open; the terminal answers line by line).
    spawned.stdin.write(`search ${WORD}\n`);
    await out.until((s) => s.includes(NO_MATCH), 'the empty search reply');
    expect(out.stdout()).not.toContain(TITLE);

    // Answered: the poll stores and indexes the papers. Ask again after each reply until the
    // title shows (indexing finishes just after the fetch, out of the test's sight).
    release();
    let asked = count(out.stdout(), NO_MATCH);
    while (!out.stdout().includes(TITLE)) {
      spawned.stdin.write(`search ${WORD}\n`);
      const seen = asked;
      await out.until(
        (s) => s.includes(TITLE) || count(s, NO_MATCH) > seen,
        `"${TITLE}" in a search reply`,
      );
      asked = count(out.stdout(), NO_MATCH);
    }
    expect(server.requests(HF)).toHaveLength(1);
    expect(out.stderr()).toContain('running in the terminal (live: sources polled');

    spawned.stdin.end();
    expect(await exit).toBe(0);
  });
});
