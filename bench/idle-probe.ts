import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Event-loop delay percentiles in ms (monitorEventLoopDelay, 10 ms resolution). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nanosecond histogram → ms, two decimals. */
export function loopDelayMs(h: {
  percentile(p: number): number;
  max: number;
  mean: number;
}): LoopDelay {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean) };
}

// Plain JS for `node -e`: no loader, nothing to do but keep its loop ticking.
const PROBE = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.stdout.write('ready\\n');
process.stdin.on('data', () => {
  h.disable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  process.stdout.write(JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean) }) + '\\n');
  process.exit(0);
});
`;

/**
 * A process with nothing to do, measuring its own event-loop delay beside the bench: what
 * the operating system alone costs a process on this machine right now (other processes
 * competing for the cores). A bot figure near this floor is scheduling, not the bot's code.
 */
export async function startIdleProbe(): Promise<{ stop(): Promise<LoopDelay> }> {
  const child = spawn(process.execPath, ['-e', PROBE], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let out = '';
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  while (!out.includes('ready\n')) await once(child.stdout, 'data');
  return {
    async stop() {
      const exited = once(child, 'exit');
      child.stdin.write('stop\n');
      await exited;
      return JSON.parse(out.slice(out.indexOf('ready\n') + 6).trim()) as LoopDelay;
    },
  };
}
