import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function bench(args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(DISCORD|SLACK)_/.test(k)) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function listedSections(stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.startsWith('Sections: ')) ?? '';
  return line.slice('Sections: '.length).split(', ').filter(Boolean);
}

describe('npm run bench (bench/run.ts)', () => {
  it('names an unknown section and lists only modules that export run()', async () => {
    const result = await bench(['no-such-section']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown bench section "no-such-section".');
    expect(result.stderr).toContain('Usage: npm run bench -- <section>');
    const sections = listedSections(result.stderr);
    expect(sections).toEqual(expect.arrayContaining(['ingest', 'search', 'digest']));
    // Shared helpers are not sections.
    for (const helper of ['run', 'corpus', 'results', 'latency', 'search-peers', 'search-queries'])
      expect(sections).not.toContain(helper);
  });

  it('prints the same usage when no section is given', async () => {
    const result = await bench([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Name a bench section.');
    expect(listedSections(result.stderr)).toContain('ingest');
  });
});
