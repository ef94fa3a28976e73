import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv } from './fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('PAPERBOY_METRICS_PORT in the terminal mode', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz and /metrics while the REPL runs, and stops with it', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ops-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: childEnv({
        PAPERBOY_DATA_DIR: dir,
        PAPERBOY_METRICS_PORT: '0',
        PAPERBOY_LOG_LEVEL: 'info',
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // The port (0 = any free one) is in the log line saying where it serves.
    const port = await new Promise<number>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Loopback by default: PAPERBOY_METRICS_HOST is not set here.
        const found = /"port":(\d+),"host":"127\.0\.0\.1"[^\n]*serving \/healthz/.exec(stderr);
        if (found) resolve(Number(found[1]));
      });
      child.once('exit', () => reject(new Error(`exited before serving: ${stderr}`)));
    });
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, platforms: { shell: true } });

    child.stdin.write('search robotics\n');
    await new Promise<void>((resolve) => {
      const check = () => (stdout.length > 0 ? resolve() : child.stdout.once('data', check));
      check();
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('paperboy_commands_total{subcommand="search",outcome="ok"} 1');

    child.stdin.end();
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 30_000);
});
