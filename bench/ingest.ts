import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';
import { ingestFile } from '../src/core/ingest.js';
import { normaliseTitle } from '../src/core/paper.js';
import { FIELD_COLUMNS, fieldValues } from '../src/core/store/paper-row-shapes.js';
import { fieldsOfRecord } from '../src/core/store/paper-rows.js';
import { SqliteStore } from '../src/core/store/sqlite-store.js';
import { benchCorpusFile, loadBenchRecords, readRealCorpus } from './corpus.js';
import type { SnapshotChildResult } from './ingest-snapshot-child.js';
import { snapshotCopiesFile, snapshotCorpusFile } from './ingest-snapshot-corpus.js';
import { writeBenchResults } from './results.js';

const PAPERS = 50_000;
const INGEST_BATCH = 2000;
const FLOOR_BATCH = 1000;
const ROUNDS = 3;
const NOW = new Date('2026-07-01T00:00:00.000Z');
/** A three times larger snapshot (150,000 lines), to show peak memory does not grow with the file. */
const LARGE_COPIES = 3;
const CHILD = fileURLToPath(new URL('./ingest-snapshot-child.ts', import.meta.url));

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and CPU seconds of `work`: on a shared machine CPU time is the steadier figure. */
async function timed(work: () => unknown): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await work();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

function best(timings: Timing[]): Timing {
  return {
    wall: Math.min(...timings.map((t) => t.wall)),
    cpu: Math.min(...timings.map((t) => t.cpu)),
  };
}

/**
 * The floor: the same rows, already mapped to columns, through one prepared
 * `INSERT … ON CONFLICT DO UPDATE` into one table (the papers table, same indexes and
 * pragmas), 1,000-row transactions, WAL, synchronous=NORMAL. No lookups, merge or parsing.
 */
function insertFloor(db: Database, rows: unknown[][]): void {
  const columns = [...FIELD_COLUMNS, 'first_seen_at', 'updated_at', 'change_seq'];
  const insert = db.prepare(
    `INSERT INTO papers (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT(id) DO UPDATE SET ${columns
       .filter((c) => c !== 'id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
  );
  const insertBatch = db.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  });
  for (let i = 0; i < rows.length; i += FLOOR_BATCH) insertBatch(rows.slice(i, i + FLOOR_BATCH));
}

/**
 * Deletes a measured store at once. Left until the end, each round's files (~1 GB with the
 * 150k-line import) were still being written back to disk during the next round: its import
 * spent 1.2 s more in the kernel (5.1 instead of 3.9 CPU-s) and every later round measured slow.
 */
function dropStore(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

function format(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The bench papers as the store's column values, mapped before the clock starts. */
async function floorRows(): Promise<unknown[][]> {
  const now = NOW.toISOString();
  const records = await loadBenchRecords(PAPERS);
  return records.map((record, i) => [
    ...fieldValues(fieldsOfRecord(record, normaliseTitle(record.title))),
    now,
    now,
    i + 1,
  ]);
}

function rates(t: Timing) {
  return { wall: PAPERS / t.wall, cpu: PAPERS / t.cpu };
}

/**
 * The same papers as an arXiv metadata snapshot (Kaggle JSON Lines: LaTeX, hard line breaks,
 * authors_parsed, versions), through `ingestFile` in a process of its own (as
 * `npm run ingest` runs): its peak RSS is the ingest's, not this bench's heap. Timed inside
 * the child from the first byte read to the last commit; start-up is not counted.
 */
async function snapshotRound(file: string, dbFile: string, papers: number, oneThread = false) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DISCORD_|SLACK_)/.test(key)),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      file,
      dbFile,
      String(INGEST_BATCH),
      ...(oneThread ? ['one-thread'] : []),
    ],
    { env, maxBuffer: 1024 * 1024 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as SnapshotChildResult;
  if (result.added !== papers) {
    throw new Error(`snapshot: expected ${papers} new papers, got ${result.added}`);
  }
  return result;
}

export async function run(): Promise<void> {
  const corpusFile = await benchCorpusFile(PAPERS);
  const snapshotFile = await snapshotCorpusFile(PAPERS);
  const largeSnapshotFile = await snapshotCopiesFile(PAPERS, LARGE_COPIES);
  const snapshots: SnapshotChildResult[] = [];
  // The same file parsed on the writing thread: whether the parsing thread pays on this machine.
  const oneThreadSnapshots: SnapshotChildResult[] = [];
  let largeSnapshot: SnapshotChildResult | undefined;
  const realPapers = Math.min(PAPERS, (await readRealCorpus()).length);
  const work = mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-ingest-'));
  const ingests: Timing[] = [];
  const floors: Timing[] = [];
  let reingest: Timing | undefined;
  try {
    // Interleaved rounds, best of each: the machine is shared, so load comes and goes.
    for (let round = 0; round < ROUNDS; round++) {
      // Parse + merge + store through the same path as `npm run ingest`, search hook off.
      const store = SqliteStore.open(path.join(work, `ingest-${round}.db`));
      store.setPapersWrittenHook(null);
      const ingest = () =>
        ingestFile({ store, file: corpusFile, now: () => NOW, batchSize: INGEST_BATCH });
      let added = 0;
      ingests.push(await timed(async () => (added = (await ingest()).added)));
      if (added !== PAPERS) throw new Error(`expected ${PAPERS} new papers, got ${added}`);
      if (round === 0) {
        let unchanged = 0;
        reingest = await timed(async () => (unchanged = (await ingest()).unchanged));
        if (unchanged !== PAPERS) throw new Error('re-ingesting the same file changed papers');
      }
      store.close();
      dropStore(path.join(work, `ingest-${round}.db`));
      snapshots.push(
        await snapshotRound(snapshotFile, path.join(work, `snapshot-${round}.db`), PAPERS),
      );
      dropStore(path.join(work, `snapshot-${round}.db`));
      oneThreadSnapshots.push(
        await snapshotRound(snapshotFile, path.join(work, `one-${round}.db`), PAPERS, true),
      );
      dropStore(path.join(work, `one-${round}.db`));
      if (round === 0) {
        const db = path.join(work, 'snapshot-large.db');
        largeSnapshot = await snapshotRound(largeSnapshotFile, db, PAPERS * LARGE_COPIES);
        dropStore(db);
      }

      // Built per round and dropped after, so the ingest never runs beside a big live heap.
      const rows = await floorRows();
      const floorStore = SqliteStore.open(path.join(work, `floor-${round}.db`));
      floors.push(await timed(() => insertFloor(floorStore.db, rows)));
      floorStore.close();
      dropStore(path.join(work, `floor-${round}.db`));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const ingest = rates(best(ingests));
  const floor = rates(best(floors));
  const again = rates(reingest as Timing);
  const snapshot = rates(best(snapshots));
  const large = largeSnapshot as SnapshotChildResult;
  const snapshotPeakMb = Math.max(...snapshots.map((s) => s.maxRssMb));
  const oneThread = rates(best(oneThreadSnapshots));
  const oneThreadPeakMb = Math.max(...oneThreadSnapshots.map((s) => s.maxRssMb));
  // Cores busy on average during the fastest round: over 1 when both threads worked at once.
  const fastest = snapshots.reduce((a, b) => (b.wall < a.wall ? b : a));
  const userPerWall = Number((fastest.user / fastest.wall).toFixed(2));
  const snapshotBeforeMb = Math.max(...snapshots.map((s) => s.rssBeforeMb));
  const figures = {
    papers: PAPERS,
    realPapers,
    generatedPapers: PAPERS - realPapers,
    batchSize: INGEST_BATCH,
    rounds: ROUNDS,
    papersPerSecond: Math.round(ingest.wall),
    floorRowsPerSecond: Math.round(floor.wall),
    ratioToFloor: Number((ingest.wall / floor.wall).toFixed(2)),
    cpuPapersPerSecond: Math.round(ingest.cpu),
    cpuFloorRowsPerSecond: Math.round(floor.cpu),
    cpuRatioToFloor: Number((ingest.cpu / floor.cpu).toFixed(2)),
    reingestPapersPerSecond: Math.round(again.wall),
    snapshot: {
      papersPerSecond: Math.round(snapshot.wall),
      ratioToFloor: Number((snapshot.wall / floor.wall).toFixed(2)),
      cpuPapersPerSecond: Math.round(snapshot.cpu),
      cpuRatioToFloor: Number((snapshot.cpu / floor.cpu).toFixed(2)),
      userCpuPerWall: userPerWall,
      // Of the child process that ran the ingest (its kernel maxRSS, start-up included).
      peakRssMb: snapshotPeakMb,
      rssBeforeIngestMb: snapshotBeforeMb,
      largeLines: PAPERS * LARGE_COPIES,
      largePeakRssMb: large.maxRssMb,
      oneThread: {
        papersPerSecond: Math.round(oneThread.wall),
        cpuPapersPerSecond: Math.round(oneThread.cpu),
        cpuRatioToFloor: Number((oneThread.cpu / floor.cpu).toFixed(2)),
        peakRssMb: oneThreadPeakMb,
      },
    },
    targets: { papersPerSecond: 20_000, ratioToFloor: 0.5 },
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    node: process.version,
    cpus: os.cpus().length,
    measuredAt: new Date().toISOString(),
  };
  console.log(
    `ingest: ${format(PAPERS)} papers (${format(realPapers)} real + ` +
      `${format(PAPERS - realPapers)} generated), best of ${ROUNDS} rounds`,
  );
  console.table({
    'parse + merge + store': {
      'papers/s': format(ingest.wall),
      'per CPU-second': format(ingest.cpu),
    },
    'floor: one INSERT … ON CONFLICT': {
      'papers/s': format(floor.wall),
      'per CPU-second': format(floor.cpu),
    },
    're-ingest (all unchanged)': {
      'papers/s': format(again.wall),
      'per CPU-second': format(again.cpu),
    },
    'arXiv metadata snapshot (Kaggle JSON Lines)': {
      'papers/s': format(snapshot.wall),
      'per CPU-second': format(snapshot.cpu),
    },
    'snapshot, no parsing thread': {
      'papers/s': format(oneThread.wall),
      'per CPU-second': format(oneThread.cpu),
    },
  });
  console.log(
    `snapshot: ratio to floor ${figures.snapshot.ratioToFloor} wall, ` +
      `${figures.snapshot.cpuRatioToFloor} CPU (target ≥ 0.5); user CPU / wall ${userPerWall}; ` +
      '≥ 20,000 papers/s: ' +
      `${snapshot.wall >= 20_000 ? 'met' : 'not met'}; peak RSS of the ingest process ` +
      `${snapshotPeakMb} MB (${snapshotBeforeMb} MB with modules loaded and the store open), ` +
      `${large.maxRssMb} MB for ${format(PAPERS * LARGE_COPIES)} lines; ` +
      `without the parsing thread ${figures.snapshot.oneThread.cpuRatioToFloor} CPU, ` +
      `peak RSS ${oneThreadPeakMb} MB`,
  );
  console.log(
    `ratio to floor: ${figures.ratioToFloor} wall, ${figures.cpuRatioToFloor} CPU (target ≥ 0.5); ` +
      `≥ 20,000 papers/s: ${ingest.wall >= 20_000 ? 'met' : 'not met'}; ` +
      `load average ${figures.loadAverage.join(' ')} on ${figures.cpus} CPUs`,
  );
  writeBenchResults('ingest', figures);
}
