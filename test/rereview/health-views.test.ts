import { describe, expect, it } from 'vitest';
import { healthChanges, sourcesHealth } from '../../src/core/health.js';
import { asyncStore } from '../../src/core/store/async-store.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { testConfig } from '../live/harness.js';

// Several instances share one health mark (replaceState): the one whose write changes it
// reports. Instances whose configurations differ (a rolling deploy that disables a source,
// or an instance set up not to poll) disagree about a failing source, and each one's tick
// flips the shared mark back: the admin channel hears "failing" and "recovered" every tick.
describe('health notices with two instances that see a source differently', () => {
  it('tells the admin about one failure once, whichever instance ticks', async () => {
    const sqlite = SqliteStore.open(':memory:');
    const store = asyncStore(sqlite);
    const polling = testConfig('http://127.0.0.1:9');
    const notPolling = {
      ...polling,
      sources: {
        ...polling.sources,
        huggingface: { ...polling.sources.huggingface, enabled: false },
      },
    };
    sqlite.recordSourceRun({
      source: 'huggingface',
      startedAt: '2026-06-10T06:00:00Z',
      finishedAt: '2026-06-10T06:00:00Z',
      ok: false,
      fetched: 0,
      added: 0,
      messages: ['boom'],
    });
    const notices: string[] = [];
    let minute = 0;
    const tick = async (config: typeof polling) => {
      const now = new Date(Date.parse('2026-06-10T07:00:00Z') + minute++ * 60_000);
      for (const c of await healthChanges(store, await sourcesHealth(store, config, now), now))
        notices.push(`${c.source}: ${c.warning ?? 'recovered'}`);
    };
    // Two instances ticking the same minutes, the source never recovering.
    for (let i = 0; i < 3; i++) {
      await tick(polling);
      await tick(notPolling);
    }
    expect(notices).toEqual(['huggingface: last run failed: boom']);
    sqlite.close();
  });
});
