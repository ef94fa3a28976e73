import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/dispatch.js';
import { memoryBot, record } from '../../commands/bot-fixture.js';

type Fixture = Awaited<ReturnType<typeof memoryBot>>;
let fixture: Fixture;

const ABSTRACTS: Array<[string, string, string]> = [
  [
    '2401.00001',
    'Grasping with tactile sensors',
    'Robotic grasping uses tactile sensors and slip detection for dexterous manipulation.',
  ],
  [
    '2401.00002',
    'Tactile slip detection for grasping',
    'We detect slip with tactile sensors during robotic grasping of fragile objects.',
  ],
  [
    '2401.00003',
    'Dexterous manipulation from tactile feedback',
    'Tactile feedback helps dexterous manipulation and grasping in cluttered scenes.',
  ],
  [
    '2401.00004',
    'Protein folding with transformers',
    'Transformers predict protein folding structures from amino acid sequences.',
  ],
  [
    '2401.00005',
    'Language models for code review',
    'Large language models review code and suggest fixes for pull requests.',
  ],
  [
    '2401.00006',
    'Weather forecasting with graph networks',
    'Graph networks forecast weather from satellite observations over many days.',
  ],
];

beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
  await fixture.bot.store.upsertPapers(
    ABSTRACTS.map(([id, title, abstract]) => record(id, title, { abstract })),
    fixture.clock.now(),
  );
  await fixture.bot.search.refresh();
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('similar', () => {
  it('ranks the papers sharing the most distinctive terms first, never the paper itself', async () => {
    const paper = await fixture.bot.store.getPaper('2401.00001');
    if (!paper) throw new Error('fixture');
    const found = fixture.context().similar!.similar(paper, 5);
    const ids = found.map((f) => f.paper.id);
    expect(ids).not.toContain('2401.00001');
    expect(ids.slice(0, 2).sort()).toEqual(['2401.00002', '2401.00003']);
    expect(found[0]?.shared).toEqual(expect.arrayContaining(['tactile']));
    for (const f of found) expect(f.score).toBeGreaterThan(0);
    expect(ids).not.toContain('2401.00006');
  });

  it('answers /papers similar with one "Shares:" line per paper', async () => {
    const reply = await runCommand(
      { name: 'similar', options: { paper: '2401.00002' } },
      fixture.context(),
    );
    if (reply.kind !== 'list') throw new Error(reply.kind);
    expect(reply.title).toBe('Papers like "Tactile slip detection for grasping"');
    expect(reply.items.length).toBeGreaterThan(0);
    for (const item of reply.items) expect(item.why).toMatch(/^Shares: \w+/);
    expect(reply.items.map((i) => i.paper.id)).not.toContain('2401.00002');
  });

  it('says plainly when no paper matches the text', async () => {
    const reply = await runCommand(
      { name: 'similar', options: { paper: 'zzqx no such paper' } },
      fixture.context(),
    );
    expect(reply).toMatchObject({ kind: 'error', code: 'NOT_FOUND' });
  });
});

describe('common words (left out of retrieval, kept for ranking)', () => {
  it('names the words more than 2% of papers (and more than 50) hold', async () => {
    const big = await memoryBot({ sample: false });
    try {
      await big.bot.store.upsertPapers(
        Array.from({ length: 60 }, (_, i) =>
          record(`2402.${String(i).padStart(5, '0')}`, `A model of thing ${i}`, {
            abstract: i === 0 ? 'A model with tactile sensing.' : `A model number ${i}.`,
          }),
        ),
        big.clock.now(),
      );
      await big.bot.search.refresh();
      expect(big.context().similar!.commonWords(['model', 'tactile', 'absentword'])).toEqual(
        new Set(['model']),
      );
      // The sample-sized archive above has no common words at all.
      expect(fixture.context().similar!.commonWords(['tactile', 'grasping'])).toEqual(new Set());
    } finally {
      await big.bot.close();
    }
  });
});
