import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import type { DigestReply, ListReply } from '../../src/commands/reply.js';
import type { PaperRecord } from '../../src/core/paper.js';
import { memoryBot, NOW, record as undatedRecord } from './bot-fixture.js';

/** Published on the fixed clock's day unless `over` says otherwise. */
const record = (arxivId: string, title: string, over: Partial<PaperRecord> = {}): PaperRecord =>
  undatedRecord(arxivId, title, { publishedAt: '2025-12-12', ...over });

let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
  const { store, search } = fixture.bot;
  // Seen an hour before the fixed clock: inside a first digest's 24-hour look-back.
  await store.upsertPapers(
    [
      record('2512.00001', 'Humanoid robot manipulation with tactile sensing', { upvotes: 3 }),
      record('2512.00002', 'Robot learning from play data', { upvotes: 40 }),
      record('2512.00003', 'Diffusion models for image editing', { upvotes: 7 }),
      record('2512.00004', 'A survey of database indexing'),
      record('2512.00005', 'Sample robot paper', { sample: true, upvotes: 99 }),
      record('2512.00006', 'Robot navigation yesterday', {
        publishedAt: '2025-12-11',
        upvotes: 500,
      }),
    ],
    new Date('2025-12-12T11:00:00.000Z'),
  );
  await search.refresh();
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('digest (preview)', () => {
  it('groups new papers under the best topic, ranked by upvotes, without sample or unmatched papers', async () => {
    const ctx = fixture.context();
    // Sections follow the order the channel subscribed in.
    fixture.clock.set('2025-12-12T11:30:00.000Z');
    await runCommand({ name: 'subscribe', options: { topic: 'robot' } }, ctx);
    fixture.clock.set('2025-12-12T11:31:00.000Z');
    await runCommand({ name: 'subscribe', options: { topic: 'diffusion' } }, ctx);
    fixture.clock.set(NOW);
    // The first digest looks back to when the schedule was set: set it a day earlier.
    await fixture.bot.store.setSchedule(
      ctx.channel,
      { time: '09:00', timeZone: 'Europe/Berlin', days: 'every', size: 10 },
      new Date('2025-12-11T12:00:00.000Z'),
    );
    const reply = (await runCommand({ name: 'digest', options: {} }, ctx)) as DigestReply;
    expect(reply.kind).toBe('digest');
    expect(reply.sections.map((s) => [s.topic, s.items.map((i) => i.paper.id)])).toEqual([
      ['robot', ['2512.00006', '2512.00002', '2512.00001']],
      ['diffusion', ['2512.00003']],
    ]);
    expect(reply.sections[0]?.items[0]?.why).toMatch(/topic "robot": matched robot/);
    expect(reply.title).toMatch(/09:00 Europe\/Berlin/);
  });

  it('starts after the last posted digest, as the next run will', async () => {
    const ctx = fixture.context();
    await fixture.bot.store.setSchedule(
      ctx.channel,
      { time: '09:00', timeZone: 'UTC', days: 'every', size: 2 },
      new Date('2025-12-11T12:00:00.000Z'),
    );
    await fixture.bot.store.setLastDigestAt(ctx.channel, new Date('2025-12-12T11:00:00.001Z'));
    const reply = (await runCommand({ name: 'digest', options: {} }, ctx)) as DigestReply;
    expect(reply.sections).toEqual([]);
    expect(reply.emptyText).toMatch(/^Nothing new since 2025-12-12 11:00 UTC\./);
  });

  it('leaves out papers dated more than digest.maxAgeDays ago, as the run does', async () => {
    const own = await memoryBot({ sample: false });
    const ctx = own.context();
    await own.bot.store.upsertPapers(
      [
        record('2512.00002', 'Robot learning from play data', { upvotes: 40 }),
        record('1901.00001', 'Robot learning in 2019', {
          source: 'jsonl',
          publishedAt: '2019-01-05',
          observedAt: '2019-01-05T00:00:00.000Z',
          upvotes: 900,
        }),
      ],
      new Date('2025-12-12T11:10:00.000Z'),
    );
    await own.bot.search.refresh();
    const reply = (await runCommand({ name: 'digest', options: {} }, ctx)) as DigestReply;
    await own.bot.close();
    const ids = reply.sections.flatMap((s) => s.items.map((i) => i.paper.id));
    expect(ids).toEqual(['2512.00002']);
  });
});

describe('latest', () => {
  it('orders by feed day, newest first, known upvotes first within a day', async () => {
    const reply = (await runCommand(
      { name: 'latest', options: { count: 6 } },
      fixture.context(),
    )) as ListReply;
    expect(reply.items.map((i) => i.paper.id)).toEqual([
      '2512.00005',
      '2512.00002',
      '2512.00003',
      '2512.00001',
      '2512.00004',
      '2512.00006',
    ]);
  });

  it('defaults to 10 and counts what it shows', async () => {
    const reply = (await runCommand(
      { name: 'latest', options: {} },
      fixture.context(),
    )) as ListReply;
    expect(reply.total).toBe(6);
    expect(reply.next).toBeUndefined();
  });
});
