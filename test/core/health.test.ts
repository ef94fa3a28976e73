import { describe, expect, it } from 'vitest';
import {
  assessSource,
  healthChanges,
  isArxivAnnouncementDay,
  sourcesHealth,
} from '../../src/core/health.js';
import { asyncStore } from '../../src/core/store/async-store.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import type { SourceRun } from '../../src/core/store/store.js';
import { testConfig } from '../live/harness.js';

function run(at: string, over: Partial<SourceRun> = {}): SourceRun {
  return {
    source: 'x',
    startedAt: at,
    finishedAt: at,
    ok: true,
    fetched: 10,
    added: 10,
    messages: [],
    ...over,
  };
}

/** Newest first, as the store returns them. */
function history(...runs: SourceRun[]): SourceRun[] {
  return [...runs].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}

describe('assessSource', () => {
  it('warns about a failing source, naming the streak and the last reason', () => {
    const runs = history(
      run('2026-06-10T05:00:00Z'),
      run('2026-06-10T06:00:00Z', {
        ok: false,
        added: 0,
        fetched: 0,
        messages: ['Hugging Face answered HTTP 503.'],
      }),
      run('2026-06-10T07:00:00Z', {
        ok: false,
        added: 0,
        fetched: 0,
        messages: ['Hugging Face did not answer within 30 s.'],
      }),
    );
    const h = assessSource('huggingface', true, runs, new Date('2026-06-10T07:30:00Z'));
    expect(h.warning).toBe(
      'failing since 2026-06-10T06:00:00Z (2 runs): Hugging Face did not answer within 30 s.',
    );
    expect(h.lastSuccessAt).toBe('2026-06-10T05:00:00Z');
    expect(h.lastRunAt).toBe('2026-06-10T07:00:00Z');
  });

  it('Hugging Face quiet for more than 2 days is a warning; 1 day is not', () => {
    const runs = history(
      run('2026-06-07T10:00:00Z'),
      run('2026-06-09T10:00:00Z', { added: 0 }),
      run('2026-06-10T10:00:00Z', { added: 0 }),
    );
    expect(
      assessSource('huggingface', true, runs, new Date('2026-06-08T09:00:00Z')).warning,
    ).toBeNull();
    expect(
      assessSource('huggingface', true, runs, new Date('2026-06-10T11:00:00Z')).warning,
    ).toMatch(/^no new papers for 3 days \(last new paper at 2026-06-07T10:00:00Z\)$/);
  });

  it('an empty arXiv weekend is normal; empty for 5 days is not', () => {
    const friday = run('2026-06-12T06:00:00Z');
    const weekend = history(
      friday,
      run('2026-06-13T06:00:00Z', { fetched: 0, added: 0 }),
      run('2026-06-14T06:00:00Z', { fetched: 0, added: 0 }),
    );
    expect(
      assessSource('arxiv-rss', true, weekend, new Date('2026-06-14T12:00:00Z')).warning,
    ).toBeNull();
    const longGap = history(friday, run('2026-06-17T07:00:00Z', { fetched: 0, added: 0 }));
    expect(
      assessSource('arxiv-rss', true, longGap, new Date('2026-06-17T08:00:00Z')).warning,
    ).toMatch(/^no new papers for 5 days/);
  });

  it('arXiv re-serving yesterday’s announcement on a weekday is stale, not a quiet day', () => {
    const tuesday = run('2026-06-09T06:00:00Z', { fetched: 40, added: 40 });
    const wednesdayRepeat = run('2026-06-10T06:00:00Z', { fetched: 40, added: 0 });
    const h = assessSource(
      'arxiv-rss',
      true,
      history(tuesday, wednesdayRepeat),
      new Date('2026-06-10T06:05:00Z'),
    );
    expect(h.warning).toMatch(
      /^stale batch: the feed still serves the announcement stored at 2026-06-09T06:00:00Z/,
    );
    // The same feed re-polled on the day it was new is fine.
    const samedayRepeat = run('2026-06-09T09:00:00Z', { fetched: 40, added: 0 });
    expect(
      assessSource(
        'arxiv-rss',
        true,
        history(tuesday, samedayRepeat),
        new Date('2026-06-09T09:05:00Z'),
      ).warning,
    ).toBeNull();
    // A 304 on a new day says the same.
    const notModified = run('2026-06-10T06:00:00Z', {
      fetched: 0,
      added: 0,
      messages: ['not modified since the last poll'],
    });
    expect(
      assessSource(
        'arxiv-rss',
        true,
        history(tuesday, notModified),
        new Date('2026-06-10T06:05:00Z'),
      ).warning,
    ).toMatch(/^stale/);
  });

  it('knows arXiv’s announcement days (US Eastern weekdays)', () => {
    expect(isArxivAnnouncementDay(new Date('2026-06-10T07:00:00Z'))).toBe(true); // Wed 03:00 EDT
    expect(isArxivAnnouncementDay(new Date('2026-06-10T05:00:00Z'))).toBe(false); // Wed 01:00 EDT, not out yet
    expect(isArxivAnnouncementDay(new Date('2026-06-13T15:00:00Z'))).toBe(false); // Saturday
  });

  it('a disabled or never-run source carries no warning', () => {
    expect(assessSource('huggingface', false, [], new Date()).warning).toBeNull();
    expect(assessSource('huggingface', true, [], new Date()).lastRunAt).toBeNull();
  });
});

describe('health over the store', () => {
  it('reports each change once, then the recovery', async () => {
    const store = SqliteStore.open(':memory:');
    const config = testConfig('http://127.0.0.1:9');
    const now = new Date('2026-06-10T07:00:00Z');
    store.recordSourceRun({
      ...run('2026-06-10T06:00:00Z', { ok: false, fetched: 0, added: 0, messages: ['boom 1'] }),
      source: 'huggingface',
    });
    const first = await healthChanges(
      asyncStore(store),
      await sourcesHealth(asyncStore(store), config, now),
      now,
    );
    expect(first).toEqual([
      { source: 'huggingface', warning: 'last run failed: boom 1', previous: null },
    ]);
    store.recordSourceRun({
      ...run('2026-06-10T06:30:00Z', { ok: false, fetched: 0, added: 0, messages: ['boom 2'] }),
      source: 'huggingface',
    });
    expect(
      await healthChanges(
        asyncStore(store),
        await sourcesHealth(asyncStore(store), config, now),
        now,
      ),
    ).toEqual([]);
    store.recordSourceRun({ ...run('2026-06-10T06:50:00Z'), source: 'huggingface' });
    const recovered = await healthChanges(
      asyncStore(store),
      await sourcesHealth(asyncStore(store), config, now),
      now,
    );
    expect(recovered).toEqual([
      { source: 'huggingface', warning: null, previous: 'last run failed: boom 1' },
    ]);
    store.close();
  });
});
