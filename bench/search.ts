import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { openPaperSearch } from '../src/core/search/paper-search.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import { loadBenchCorpus, loadBenchRecords } from './corpus.js';
import { writeBenchResults } from './results.js';
import { flexSearchPeer, miniSearchPeer, type Peer, plainFtsPeer } from './search-peers.js';
import { benchQueries, fragmentsOf, type Latency, latency, prefixesOf } from './search-queries.js';

const NOW = '2026-07-31T12:00:00.000Z';
/** BENCH_QUICK=1: 100k only, no bulk ingest, no peers, nothing written. */
const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = (process.env.BENCH_SEARCH_SIZES ?? (QUICK ? '100000' : '10000,100000'))
  .split(',')
  .map(Number);
const HERE = path.dirname(fileURLToPath(import.meta.url));

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const ms = (x: number) => Math.round(x * 10) / 10;

/** Runs this file in a fresh process (`--cold` or `--rebuild`) and returns the JSON it prints. */
function inChild<T>(mode: '--cold' | '--rebuild', dir: string): Promise<T & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(DISCORD|SLACK)_/.test(k)),
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(HERE, 'search.ts'), mode, dir],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', () => {
      try {
        resolve({ wallMs: performance.now() - started, ...(JSON.parse(out) as T) });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Rebuild-everything as the bot meets it, after an upgrade that changes the archive's layout:
 * the archive is dropped on open and indexed again from the store. In a process holding only
 * the store and search: the bench process's peak would count its 100k records and corpus.
 */
async function rebuildChild(dir: string): Promise<void> {
  const store = SqliteStore.open(storeFile(dir));
  store.db.exec("UPDATE search_meta SET value = '0' WHERE key = 'version'");
  const peak = monitorPeakRss();
  const t = performance.now();
  const search = await openPaperSearch({
    store,
    dataDir: dir,
    clock: manualClock(NOW),
    logger: silentLogger(),
  });
  await search.whenCaughtUp();
  const rebuildMs = performance.now() - t;
  process.stdout.write(JSON.stringify({ rebuildMs, peakRssMb: peak.stop() }));
  await search.close();
  store.close();
}

async function coldChild(dir: string): Promise<void> {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const store = SqliteStore.open(storeFile(dir));
  const search = await openPaperSearch({
    store,
    dataDir: dir,
    clock: manualClock(NOW),
    logger: silentLogger(),
  });
  search.search('robot learning');
  const openToAnswerMs = performance.now() - started;
  const cpu = process.cpuUsage(startedCpu);
  const openToAnswerCpuMs = (cpu.user + cpu.system) / 1000;
  const rssMb = mb(process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ openToAnswerMs, openToAnswerCpuMs, rssMb }));
  await search.close();
  store.close();
}

async function runSize(n: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), `paperboy-bench-search-${n}-`));
  const clock = manualClock(NOW);
  try {
    const records = await loadBenchRecords(n);
    const entries = await loadBenchCorpus(n);
    const store = SqliteStore.open(storeFile(dir));
    const options = { store, dataDir: dir, clock, logger: silentLogger() };
    let search = await openPaperSearch(options);
    search.setLiveIndexing(false);
    let t = performance.now();
    for (let i = 0; i < records.length; i += 5000)
      store.upsertPapers(records.slice(i, i + 5000), clock.now());
    const storeMs = performance.now() - t;
    t = performance.now();
    await search.refresh();
    const buildMs = performance.now() - t;
    search.setLiveIndexing(true);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const persistedMb = mb(dirSize(dir));
    // The rebuild runs alone, as after an upgrade; then search opens on what it built, as the
    // bot does, and the queries wait until it has caught up (its word list loaded).
    await search.close();
    const rebuild = await inChild<{ rebuildMs: number; peakRssMb: number }>('--rebuild', dir);
    const rebuildMs = rebuild.rebuildMs;
    const rebuildPeakMb = rebuild.peakRssMb;
    search = await openPaperSearch(options);
    await search.whenCaughtUp();

    const queries = benchQueries(entries);
    for (const q of queries.slice(0, 10)) search.search(q.text); // warm the statement cache
    const ours = latency(queries, (q) => search.search(q).total);
    const typoQueriesFound = queries.filter(
      (q) => q.kind === 'typo' && search.search(q.text).total > 0,
    ).length;
    const fragments = fragmentsOf(entries, 50);
    const show = latency(
      fragments.map((text) => ({ text, kind: 'fragment' })),
      (q) => (search.resolve(q).kind === 'none' ? 0 : 1),
    );
    const suggest = latency(
      prefixesOf(entries, 50).map((text) => ({ text, kind: 'prefix' })),
      (q) => search.suggest(q).length,
    );

    // 500 new papers in one write (a poll's batch) while queries run. The write is the store's
    // (search only schedules its work there); the stall is measured after it, while search
    // catches up; searchable = a full-text search for the last one finds it first.
    const fresh = records.slice(0, 500).map((r, i) => ({
      ...r,
      arxivId: `2999.${String(i).padStart(5, '0')}`,
      title: `${r.title} (revisited ${i})`,
    }));
    const lastId = fresh.at(-1)?.arxivId as string;
    const findsLast = () =>
      search.search('revisited 499', { pageSize: 1 }).hits[0]?.paper.id === lastId;
    t = performance.now();
    store.upsertPapers(fresh, clock.now());
    const writeMs = performance.now() - t;
    // Stall: the longest time between two turns of this loop spent outside it (search's
    // background work: slices, worker messages), its own queries excluded.
    let stallMs = 0;
    let worstDuringMs = 0;
    let searchableMs = Number.NaN;
    let settled = false;
    void search.refresh().then(() => {
      settled = true;
    });
    let i = 0;
    let last = performance.now();
    while (!settled || Number.isNaN(searchableMs)) {
      stallMs = Math.max(stallMs, performance.now() - last - 1);
      const q = queries[i++ % queries.length]?.text ?? 'robot';
      const s = performance.now();
      search.search(q);
      worstDuringMs = Math.max(worstDuringMs, performance.now() - s);
      if (Number.isNaN(searchableMs) && findsLast()) searchableMs = performance.now() - t;
      if (performance.now() - t > 60_000) break;
      last = performance.now();
      await new Promise((r) => setTimeout(r, 1));
    }
    const caughtUpMs = performance.now() - t;
    await search.close();
    store.close();
    const cold = await inChild<{
      openToAnswerMs: number;
      openToAnswerCpuMs: number;
      rssMb: number;
    }>('--cold', dir);

    return {
      n,
      storeIngestMs: ms(storeMs),
      buildMs: ms(buildMs),
      rebuildAllMs: ms(rebuildMs),
      rebuildPeakRssMb: rebuildPeakMb,
      persistedMb,
      coldStartWallMs: ms(cold.wallMs),
      coldOpenToAnswerMs: ms(cold.openToAnswerMs),
      coldOpenToAnswerCpuMs: ms(cold.openToAnswerCpuMs),
      rssAfterLoadMb: cold.rssMb,
      typoQueriesFound,
      query: ours.all,
      queryCpu: ours.cpu,
      queryByKind: ours.byKind,
      showFragmentP95Ms: show.all.p95,
      suggestP95Ms: suggest.all.p95,
      add500WriteMs: ms(writeMs),
      add500SearchableMs: ms(searchableMs),
      add500CaughtUpMs: ms(caughtUpMs),
      add500WorstQueryMs: ms(worstDuringMs),
      add500MaxEventLoopStallMs: ms(stallMs),
      queriesAnswered: i,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function monitorPeakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return mb(Math.max(peak, process.memoryUsage().rss));
    },
  };
}

/** Bulk ingest of the shared corpus (hook off) until searchable. */
async function bulkIngest(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-bulk-'));
  try {
    const records = await loadBenchRecords(46_831);
    const clock = manualClock(NOW);
    const store = SqliteStore.open(storeFile(dir));
    const search = await openPaperSearch({ store, dataDir: dir, clock, logger: silentLogger() });
    const t = performance.now();
    search.setLiveIndexing(false);
    for (let i = 0; i < records.length; i += 5000)
      store.upsertPapers(records.slice(i, i + 5000), clock.now());
    const storedMs = performance.now() - t;
    search.setLiveIndexing(true);
    // The backlog is indexed in background slices while queries keep answering.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    let answered = 0;
    let finished = false;
    const done = search.refresh().then(() => {
      finished = true;
    });
    while (!finished) {
      search.search('robot learning');
      answered++;
      await new Promise((r) => setImmediate(r));
    }
    await done;
    delay.disable();
    const searchableMs = performance.now() - t;
    const probe = records[records.length - 1]?.arxivId as string;
    const found = search.resolve(probe).kind === 'found';
    const caughtUpMs = performance.now() - t;
    await search.close();
    store.close();
    return {
      papers: records.length,
      storedMs: ms(storedMs),
      searchableMs: ms(searchableMs),
      queriesAnsweredMeanwhile: answered,
      maxEventLoopStallMs: ms(delay.max / 1e6),
      lastFound: found,
      caughtUpMs: ms(caughtUpMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function peerRow(peer: Peer, queries: ReturnType<typeof benchQueries>, ours: Latency) {
  const l = latency(queries, (q) => peer.query(q));
  const typoFound = queries.filter((q) => q.kind === 'typo' && peer.query(q.text) > 0).length;
  return {
    engine: peer.name,
    buildMs: ms(peer.buildMs),
    ...l.all,
    typoQueriesFound: typoFound,
    p95RatioToOurs: Math.round((l.all.p95 / Math.max(0.01, ours.all.p95)) * 100) / 100,
    cpuP95: l.cpu.p95,
    cpuP95RatioToOurs: Math.round((l.cpu.p95 / Math.max(0.01, ours.cpu.p95)) * 100) / 100,
  };
}

export async function run(): Promise<void> {
  const figures: Record<string, unknown> = {
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
  };
  const sizes: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    {
      const row = await runSize(n);
      sizes.push(row);
      console.log(`\nsearch, N = ${n}`);
      const { query, queryCpu, queryByKind, ...rest } = row as {
        query: object;
        queryCpu: object;
        queryByKind: Record<string, object>;
      };
      console.table(rest);
      console.table({ all: query, ...queryByKind, 'all (CPU ms)': queryCpu });
    }
  }
  figures.sizes = sizes;
  if (QUICK) return;
  figures.bulkIngest = await bulkIngest();
  console.log('\nbulk ingest of the shared corpus');
  console.table(figures.bulkIngest);

  // Peers on the same 10k corpus and queries (the in-memory peers take minutes at 100k).
  const entries = await loadBenchCorpus(10_000);
  const queries = benchQueries(entries);
  const ourRow = sizes.find((r) => r.n === 10_000) as
    | { query: Latency['all']; queryCpu: Latency['cpu'] }
    | undefined;
  if (!ourRow) return writeBenchResults('search', figures);
  const ours = { all: ourRow.query, cpu: ourRow.queryCpu } as Latency;
  const peers = [plainFtsPeer(entries), miniSearchPeer(entries), flexSearchPeer(entries)];
  figures.peers10k = peers.map((p) => peerRow(p, queries, ours));
  for (const p of peers) p.close();
  const big = await loadBenchCorpus(100_000);
  const fts100k = plainFtsPeer(big);
  const row100k = sizes[1] as { query: Latency['all']; queryCpu: Latency['cpu'] };
  figures.peers100k = [
    peerRow(fts100k, benchQueries(big), { all: row100k.query, cpu: row100k.queryCpu } as Latency),
  ];
  fts100k.close();
  console.log('\npeers (same corpus and queries; ratio = their p95 / ours)');
  console.table([
    ...(figures.peers10k as object[]).map((r) => ({ n: 10_000, ...r })),
    ...(figures.peers100k as object[]).map((r) => ({ n: 100_000, ...r })),
  ]);
  writeBenchResults('search', figures);
}

if (process.argv[2] === '--cold' && process.argv[3]) {
  await coldChild(process.argv[3]);
}
if (process.argv[2] === '--rebuild' && process.argv[3]) {
  await rebuildChild(process.argv[3]);
}
