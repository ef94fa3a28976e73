import fc from 'fast-check';
import { checkInvariants, type Model, newPaper, TOPICS, tell } from './sim-model.js';
import { CHANNELS, label } from './sim-world.js';
import { listed } from './situation-bot.js';

/** Commands of the digest property test, and the arrival of papers of every kind. */

/** A listed paper whose text names only its own topic. */
const news = (...[id, title, at, over]: Parameters<typeof listed>) =>
  listed(id, title, at, { abstract: `${title}.`, ...over });

export type Cmd = fc.AsyncCommand<Model, Model>;
export const cmd = (
  name: string,
  run: (m: Model) => Promise<void> | void,
  check: (m: Model) => boolean = () => true,
): Cmd => ({
  check,
  async run(m) {
    await run(m);
    await checkInvariants(m);
  },
  toString: () => name,
});
export const channel = fc.integer({ min: 0, max: CHANNELS.length - 1 });
export const name = (i: number) => `#${label(CHANNELS[i]!.ref)}`;

type Kind =
  | 'live'
  | 'other-writer'
  | 'live-old-pub'
  | 'import-new'
  | 'import-old'
  | 'backfill'
  | 'replace-old'
  | 'revise';
export const arrive = fc
  .record({
    kind: fc.constantFrom<Kind>(
      'live',
      'live',
      'other-writer',
      'live-old-pub',
      'import-new',
      'import-old',
      'backfill',
      'replace-old',
      'revise',
    ),
    topic: fc.constantFrom(...TOPICS),
  })
  .map(({ kind, topic }) =>
    cmd(`${kind} ${topic} paper`, async (m) => {
      // The runtime polls before it plans in a tick, so a paper never lands in the same
      // millisecond after a plan; a second later keeps the simulation to that order.
      m.world.clock.advance(1_000);
      const now = m.world.clock.now().toISOString();
      const n = m.next++;
      const id = `2603.${String(10000 + n)}`;
      const old = `1901.${String(10000 + n)}`;
      const title = `Robot ${topic} study number ${n}`;
      let what: string;
      if (kind === 'other-writer') {
        // Committed by another process after the tick's search refresh: not yet indexed.
        await m.world.arriveUnindexed([news(id, title, now)]);
        newPaper(m, id, topic);
        what = `${id}, listed live by another process, not yet indexed by search`;
      } else if (kind === 'live' || kind === 'live-old-pub' || kind === 'import-new') {
        // New by its date: listed today (whatever its publication date), or imported fresh.
        const over =
          kind === 'live-old-pub'
            ? { publishedAt: '2019-01-05' }
            : kind === 'import-new'
              ? { source: 'jsonl' as const }
              : {};
        await m.world.arrive([news(id, title, now, over)]);
        newPaper(m, id, topic);
        what = `${id}, ${kind === 'live' ? 'listed live' : kind === 'import-new' ? 'imported, dated today' : 'listed live, published in 2019'}`;
      } else if (kind === 'import-old' || kind === 'backfill') {
        const source = kind === 'import-old' ? 'jsonl' : 'arxiv-api';
        const observedAt = kind === 'import-old' ? '2019-01-05T00:00:00.000Z' : now;
        await m.world.arrive([
          news(old, title, now, { source, publishedAt: '2019-01-05', observedAt }),
        ]);
        m.never.add(old);
        what = `${old}, ${kind === 'import-old' ? 'imported' : 'backfilled'}, from 2019`;
      } else if (kind === 'replace-old') {
        // A replace item: a new version of a paper from last year, imported then, known only
        // because someone posted its link (a link lookup, never news by itself), or not stored.
        const last = `2501.${String(10000 + n)}`;
        const stored = (['imported', 'linked', 'unknown'] as const)[n % 3];
        if (stored === 'imported')
          await m.world.arrive([
            news(last, title, '2025-01-10T00:00:00.000Z', { announceType: 'new', source: 'jsonl' }),
          ]);
        if (stored === 'linked')
          await m.world.arrive([
            news(last, title, now, { publishedAt: '2025-01-10', source: 'arxiv-lookup' }),
          ]);
        await m.world.arrive([news(last, title, now, { version: 2, announceType: 'replace' })]);
        m.never.add(last);
        what = `${last}, a replace item of a 2025 paper (${stored})`;
      } else {
        // A new version of a paper that arrived earlier in the case: still news only once.
        const earlier = m.news.find((p) => p.topic === topic);
        if (!earlier) {
          tell(m, `no earlier "${topic}" paper to revise`);
          return;
        }
        await m.world.arrive([
          news(earlier.id, title, now, {
            version: 2,
            announceType: 'replace',
            publishedAt: now.slice(0, 10),
          }),
        ]);
        what = `v2 of ${earlier.id} (replace)`;
      }
      tell(m, `a "${topic}" paper arrives: ${what}`);
    }),
  );
