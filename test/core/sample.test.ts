import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedSampleIfEmpty } from '../../src/core/sample.js';
import { asyncStore } from '../../src/core/store/async-store.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { record } from './store/records.js';

const NOW = new Date('2025-12-12T10:00:00.000Z');
const options = { file: 'samples/daily-papers-page.txt', referenceDate: '2025-12-12', now: NOW };

describe('seedSampleIfEmpty', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('fills an empty store with the bundled page, every paper tagged as a demo paper', async () => {
    const summary = await seedSampleIfEmpty(asyncStore(store), options);
    expect(summary?.added).toHaveLength(48);
    expect(store.countPapers()).toBe(48);
    const all = [...store.iteratePapers(100)].flat();
    expect(all.every((paper) => paper.sample && paper.sources.includes('hf-page'))).toBe(true);
    const cycle = all.find((paper) => paper.title.includes('CycleQD'));
    expect(cycle).toMatchObject({ arxivId: null, authorCount: 4, firstSeenAt: NOW.toISOString() });
  });

  it('keeps demo papers out of what a digest reads, but the terminal can ask for them', async () => {
    await seedSampleIfEmpty(asyncStore(store), options);
    expect(store.papersSeenSince(new Date(0))).toEqual([]);
    expect(store.papersSeenSince(new Date(0), { includeSample: true })).toHaveLength(48);
  });

  it('leaves a store that already holds papers alone, and seeds only once', async () => {
    store.upsertPapers([record()], NOW);
    expect(await seedSampleIfEmpty(asyncStore(store), options)).toBeNull();
    expect(store.countPapers()).toBe(1);

    const fresh = SqliteStore.open(':memory:');
    await seedSampleIfEmpty(asyncStore(fresh), options);
    expect(await seedSampleIfEmpty(asyncStore(fresh), options)).toBeNull();
    expect(fresh.countPapers()).toBe(48);
    fresh.close();
  });
});
