// Runs in its own process (spawned by bench/ingest.ts): one `ingestFile` of a snapshot file
// into a fresh store, so the process's peak RSS is the ingest's own and not the bench's heap.
// Prints one JSON line: timings, counts and memory.
import { performance } from 'node:perf_hooks';
import { ingestFile } from '../src/core/ingest.js';
import { SqliteStore } from '../src/core/store/sqlite-store.js';

export interface SnapshotChildResult {
  added: number;
  wall: number;
  cpu: number;
  /** User CPU seconds alone: above `wall` only when parsing and writing really overlap. */
  user: number;
  /** Resident memory once the modules are loaded and the store is open, before reading. */
  rssBeforeMb: number;
  /** The highest resident memory sampled after a batch. */
  rssPeakSampledMb: number;
  /** The process's peak resident memory (kernel's maxRSS): start-up included. */
  maxRssMb: number;
}

const [file, dbFile, batch, threads] = process.argv.slice(2);
if (!file || !dbFile || (threads !== undefined && threads !== 'one-thread'))
  throw new Error('usage: ingest-snapshot-child.ts <file> <db> [batch] [one-thread]');
const NOW = new Date('2026-07-01T00:00:00.000Z');
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

const store = SqliteStore.open(dbFile);
store.setPapersWrittenHook(null);
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const cpu0 = process.cpuUsage();
const start = performance.now();
const summary = await ingestFile({
  store,
  file,
  now: () => NOW,
  ...(batch ? { batchSize: Number(batch) } : {}),
  // Parsed where it is written, for comparison (the default uses a parsing thread).
  ...(threads === 'one-thread' ? { parseInWorker: false } : {}),
  onBatch: () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  },
});
const wall = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
store.close();
const result: SnapshotChildResult = {
  added: summary.added,
  wall,
  // Every thread of the process: the parsing worker's time counts too.
  cpu: (cpu.user + cpu.system) / 1e6,
  user: cpu.user / 1e6,
  rssBeforeMb: mb(rssBefore),
  rssPeakSampledMb: mb(peak),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
