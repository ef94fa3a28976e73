import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { childEnv } from '../test/ops/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A port free right now (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `npm run ingest`'s entry as its own process (another writer, as in production). */
export async function ingestInChild(dataDir: string, file: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ingest.ts', file], {
    cwd: ROOT,
    env: childEnv({ PAPERBOY_DATA_DIR: dataDir }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`ingest exited with ${code}`);
  return performance.now() - started;
}

/** Resident memory of a process from /proc: now and the high-water mark (peak), in MB. */
export function processMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export interface BotProcess {
  child: ChildProcess;
  /** ms from spawn to every adapter started (store open, archive catch-up, connect). */
  readyMs: number;
  /** Discord rate-limit waits the bot logged (warn lines, not shown one by one). */
  rateLimitWaits(): number;
  stop(): Promise<number | null>;
}

/**
 * Starts the real bot (`src/main.ts`) as a child process, sources off, and resolves once
 * both adapters logged that they started (and every line of `alsoWaitFor` was logged).
 */
export async function startBotProcess(
  dataDir: string,
  env: Record<string, string>,
  alsoWaitFor: string[] = [],
): Promise<BotProcess> {
  const configFile = path.join(dataDir, 'bench-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sources: { huggingface: { enabled: false }, arxiv: { enabled: false } },
    }),
  );
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: childEnv({
      PAPERBOY_DATA_DIR: dataDir,
      PAPERBOY_CONFIG: configFile,
      PAPERBOY_LOG_LEVEL: 'info',
      ...env,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const awaited = ['Discord connected', 'Slack adapter started', ...alsoWaitFor];
      if (awaited.every((line) => log.includes(line))) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    void exited.then(([code]) => reject(new Error(`bot exited with ${code}:\n${log}`)));
  });
  const readyMs = performance.now() - started;
  // Keep draining stderr so the child never blocks on a full pipe; show warnings and errors,
  // but only count the rate-limit waits 1,000 edits at once are bound to meet.
  let rateLimitWaits = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.includes('Discord rate limit: waiting')) rateLimitWaits++;
      else if (/"level":(40|50|60)/.test(line)) process.stderr.write(`${line}\n`);
    }
  });
  return {
    child,
    readyMs,
    rateLimitWaits: () => rateLimitWaits,
    async stop() {
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}

/**
 * TCP connections the kernel refused to queue for lack of room in a listen backlog, machine
 * wide (TcpExt ListenOverflows): each is a handshake the client retransmits 1 s or 3 s later.
 */
export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const names = lines.find((l) => l.startsWith('TcpExt:'))?.split(/\s+/) ?? [];
  const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf('ListenOverflows')] ?? Number.NaN);
}

/** CPU seconds a process has used so far (user + system), from /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ")"; utime, stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Seconds the process's main thread (the event loop) has spent runnable but waiting for a
 * CPU, from /proc/<pid>/schedstat: what the other processes on the machine cost it.
 */
export function runQueueWaitSeconds(pid: number): number {
  const [, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/);
  return Number(waitNs) / 1e9;
}
