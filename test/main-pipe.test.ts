import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('the terminal when its reader goes away (… | npm start -s | head -3)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 quietly on EPIPE instead of crashing', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-pipe-'));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...env, PAPERBOY_DATA_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Close our end of stdout as soon as the first answer arrives, then ask for more.
    child.stdout.once('data', () => {
      child.stdout.destroy();
      for (let i = 0; i < 20; i++) child.stdin.write('search robotics\n');
      child.stdin.end();
    });
    child.stdin.write('search robotics\n');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain('Unhandled');
  }, 30_000);
});
