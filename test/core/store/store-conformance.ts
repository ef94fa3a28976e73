import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Paper, titleHashId } from '../../../src/core/paper.js';
import { type AsyncStore, asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import {
  type ChannelRef,
  type NewDigestRun,
  SHELL_CHANNEL,
} from '../../../src/core/store/store.js';
import { pageRecord, record } from './records.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const T1 = new Date('2025-01-02T00:00:00.000Z');
const T2 = new Date('2025-01-03T00:00:00.000Z');
const DISCORD: ChannelRef = { platform: 'discord', workspace: '111', channel: '222' };

/**
 * The behaviour every Store implementation must have, written against the async interface
 * only, so SQLite (through `asyncStore`) and PostgreSQL run the same suite.
 */
export function describeStore(
  name: string,
  makeStore: () => AsyncStore | SqliteStore | Promise<AsyncStore | SqliteStore>,
): void {
  describe(`${name} conformance`, () => {
    let store: AsyncStore;
    beforeEach(async () => {
      const made = await makeStore();
      store = made instanceof SqliteStore ? asyncStore(made) : made;
    });
    afterEach(async () => {
      await store.close();
    });

    describe('papers', () => {
      it('stores a new paper and reads it back whole', async () => {
        const summary = await store.upsertPapers(
          [record({ links: { code: 'https://github.com/x/y' } })],
          T0,
        );
        expect(summary).toEqual({
          added: ['2410.14735'],
          updated: [],
          unchanged: 0,
          skippedReplacements: [],
        });
        const paper = await store.getPaper('2410.14735');
        expect(paper).toMatchObject({
          id: '2410.14735',
          arxivId: '2410.14735',
          version: 1,
          authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
          authorCount: 4,
          publishedAt: '2024-10-09',
          firstSeenAt: T0.toISOString(),
          updatedAt: T0.toISOString(),
          sources: ['arxiv-rss'],
          upvotes: null,
          comments: null,
          sample: false,
        });
        expect(paper?.links).toMatchObject({
          arxivAbs: 'https://arxiv.org/abs/2410.14735',
          code: 'https://github.com/x/y',
        });
        expect(await store.countPapers()).toBe(1);
        expect(await store.getPaper('2401.00001')).toBeNull();
      });

      it('changes nothing when the same records arrive again', async () => {
        const batch = [record(), pageRecord({ title: 'Another paper entirely', upvotes: 3 })];
        await store.upsertPapers(batch, T0);
        const stamp = await store.papersStamp();
        const before = await store.getPapers(['2410.14735', titleHashId('Another paper entirely')]);
        expect(await store.upsertPapers(batch, T1)).toEqual({
          added: [],
          updated: [],
          unchanged: 2,
          skippedReplacements: [],
        });
        expect(await store.papersStamp()).toEqual(stamp);
        expect(
          await store.getPapers(['2410.14735', titleHashId('Another paper entirely')]),
        ).toEqual(before);
      });

      it('merges one paper seen in two sources into one row with both sources', async () => {
        await store.upsertPapers([record({ authors: [], authorCount: 4, keywords: ['QD'] })], T0);
        const summary = await store.upsertPapers(
          [
            record({
              source: 'huggingface',
              upvotes: 12,
              comments: 1,
              keywords: ['model merging'],
              categories: [],
              links: { huggingface: 'https://huggingface.co/papers/2410.14735' },
            }),
          ],
          T1,
        );
        expect(summary).toEqual({
          added: [],
          updated: ['2410.14735'],
          unchanged: 0,
          skippedReplacements: [],
        });
        const paper = await store.getPaper('2410.14735');
        expect(paper?.sources).toEqual(['arxiv-rss', 'huggingface']);
        expect(paper?.authors).toHaveLength(4);
        expect(paper?.upvotes).toBe(12);
        expect(paper?.keywords).toEqual(['QD', 'model merging']);
        expect(paper?.categories).toEqual(['cs.NE', 'cs.CL']);
        expect(paper?.links.huggingface).toBe('https://huggingface.co/papers/2410.14735');
        expect(paper?.firstSeenAt).toBe(T0.toISOString());
        expect(paper?.updatedAt).toBe(T1.toISOString());
        expect(await store.countPapers()).toBe(1);
      });

      it('never lets a null overwrite a known value', async () => {
        await store.upsertPapers([record({ upvotes: 7, comments: 2, comment: '12 pages' })], T0);
        await store.upsertPapers(
          [
            record({
              upvotes: null,
              comments: null,
              comment: null,
              publishedAt: null,
              observedAt: '2025-06-01T00:00:00.000Z',
            }),
          ],
          T1,
        );
        expect(await store.getPaper('2410.14735')).toMatchObject({
          upvotes: 7,
          comments: 2,
          comment: '12 pages',
          publishedAt: '2024-10-09',
        });
      });

      it('takes counts from the newer observation, whatever the ingest order', async () => {
        const older = record({
          source: 'huggingface',
          upvotes: 5,
          observedAt: '2024-10-11T00:00:00Z',
        });
        const newer = record({
          source: 'huggingface',
          upvotes: 40,
          observedAt: '2024-10-20T00:00:00Z',
        });
        await store.upsertPapers([newer], T0);
        expect((await store.upsertPapers([older], T1)).unchanged).toBe(1);
        expect((await store.getPaper('2410.14735'))?.upvotes).toBe(40);
        await store.upsertPapers(
          [record({ source: 'huggingface', upvotes: 41, observedAt: '2024-10-21T00:00:00Z' })],
          T2,
        );
        expect(await store.getPaper('2410.14735')).toMatchObject({
          upvotes: 41,
          observedAt: '2024-10-21T00:00:00Z',
        });
      });

      it('prefers author names to a bare count', async () => {
        await store.upsertPapers([pageRecord({ authorCount: 4 })], T0);
        await store.upsertPapers([record()], T1);
        await store.upsertPapers([pageRecord({ authorCount: 5 })], T2);
        const paper = await store.getPaper('2410.14735');
        expect(paper?.authors).toEqual([
          'So Kuroki',
          'Taishi Nakamura',
          'Takuya Akiba',
          'Yujin Tang',
        ]);
        expect(paper?.authorCount).toBe(4);
      });

      it('merges a title-hash row into the arXiv row in place when the id arrives', async () => {
        const page = pageRecord({
          title: 'Agent Skill Acquisition for Large Language Models via  CycleQD',
        });
        await store.upsertPapers([page], T0);
        const hashId = titleHashId(page.title);
        expect((await store.getPaper(hashId))?.authorCount).toBe(4);
        const seq = (await store.papersStamp()).lastChange;
        const summary = await store.upsertPapers(
          [record({ title: 'Agent skill acquisition for large language models via CycleQD!' })],
          T1,
        );
        expect(summary).toEqual({
          added: [],
          updated: ['2410.14735'],
          unchanged: 0,
          skippedReplacements: [],
        });
        expect(await store.getPaper(hashId)).toBeNull();
        const paper = await store.getPaper('2410.14735');
        expect(paper).toMatchObject({
          arxivId: '2410.14735',
          sources: ['hf-page', 'arxiv-rss'],
          upvotes: 2,
          firstSeenAt: T0.toISOString(),
        });
        expect(paper?.authors).toHaveLength(4);
        expect(await store.countPapers()).toBe(1);
        expect((await store.papersStamp()).lastChange).toBeGreaterThan(seq);
      });

      it('merges a title-only record into an existing arXiv row', async () => {
        await store.upsertPapers([record()], T0);
        const summary = await store.upsertPapers([pageRecord({ upvotes: 9 })], T1);
        expect(summary.updated).toEqual(['2410.14735']);
        expect(await store.countPapers()).toBe(1);
        expect(await store.getPaper('2410.14735')).toMatchObject({
          sources: ['arxiv-rss', 'hf-page'],
          upvotes: 9,
        });
        expect((await store.upsertPapers([pageRecord({ upvotes: 9 })], T2)).unchanged).toBe(1);
      });

      it('sends an arXiv record to its own row even when a title-hash row shares its title', async () => {
        await store.upsertPapers([record({ title: 'Old title' })], T0);
        await store.upsertPapers([record({ version: 2, title: 'New title' })], T1);
        await store.upsertPapers([pageRecord({ title: 'Old title' })], T1);
        expect(await store.countPapers()).toBe(2);
        const summary = await store.upsertPapers([record({ title: 'Old title', upvotes: 3 })], T2);
        expect(summary.updated).toEqual(['2410.14735']);
        expect(await store.getPaper('2410.14735')).toMatchObject({
          title: 'New title',
          upvotes: 3,
        });
        expect((await store.getPaper(titleHashId('Old title')))?.sources).toEqual(['hf-page']);
      });

      it('keeps distinct papers with different ids apart even with the same title', async () => {
        await store.upsertPapers([record(), record({ arxivId: '2501.00001' })], T0);
        expect(await store.countPapers()).toBe(2);
      });

      it('updates version and text for a new arXiv version without a new row', async () => {
        await store.upsertPapers([record()], T0);
        const summary = await store.upsertPapers(
          [record({ version: 2, abstract: 'A revised abstract.', comment: 'v2: more results' })],
          T1,
        );
        expect(summary.updated).toEqual(['2410.14735']);
        expect(await store.getPaper('2410.14735')).toMatchObject({
          version: 2,
          abstract: 'A revised abstract.',
          comment: 'v2: more results',
        });
        await store.upsertPapers([record({ version: 1, abstract: 'The first abstract.' })], T2);
        expect(await store.getPaper('2410.14735')).toMatchObject({
          version: 2,
          abstract: 'A revised abstract.',
        });
        expect(await store.countPapers()).toBe(1);
      });

      it('never stores a replace record of an unknown paper; updates a known one in place', async () => {
        const replacement = record({ announceType: 'replace', version: 3, abstract: 'Revised.' });
        expect(await store.upsertPapers([replacement], T0)).toEqual({
          added: [],
          updated: [],
          unchanged: 0,
          skippedReplacements: ['2410.14735'],
        });
        expect(await store.getPaper('2410.14735')).toBeNull();
        await store.upsertPapers([record()], T0);
        const summary = await store.upsertPapers([replacement], T1);
        expect(summary.updated).toEqual(['2410.14735']);
        expect(summary.skippedReplacements).toEqual([]);
        expect(await store.getPaper('2410.14735')).toMatchObject({
          version: 3,
          abstract: 'Revised.',
          firstSeenAt: T0.toISOString(),
        });
        expect(await store.countPapers()).toBe(1);
      });

      it('counts one record added and changed in the same batch as added', async () => {
        const summary = await store.upsertPapers(
          [pageRecord(), record(), record({ source: 'huggingface', upvotes: 3 })],
          T0,
        );
        expect(summary).toEqual({
          added: ['2410.14735'],
          updated: [],
          unchanged: 0,
          skippedReplacements: [],
        });
        expect(await store.countPapers()).toBe(1);
      });

      it('advances the stamp on every write and only then', async () => {
        expect(await store.papersStamp()).toEqual({ count: 0, lastChange: 0 });
        await store.upsertPapers([record()], T0);
        const first = await store.papersStamp();
        expect(first.count).toBe(1);
        expect(first.lastChange).toBeGreaterThan(0);
        await store.upsertPapers([record({ upvotes: 1 })], T1);
        expect((await store.papersStamp()).lastChange).toBeGreaterThan(first.lastChange);
      });

      it('lists papers seen since a time, newest first, demo papers only when asked', async () => {
        await store.upsertPapers([record({ arxivId: '2401.00001', title: 'Old' })], T0);
        await store.upsertPapers([record({ arxivId: '2401.00002', title: 'Mid' })], T1);
        await store.upsertPapers(
          [
            record({ arxivId: '2401.00003', title: 'New' }),
            pageRecord({ title: 'Demo', sample: true }),
          ],
          T2,
        );
        const ids = (list: { id: string }[]) => list.map((p) => p.id);
        expect(await ids(await store.papersSeenSince(T1))).toEqual(['2401.00003', '2401.00002']);
        expect(await store.papersSeenSince(T2, { includeSample: true })).toHaveLength(2);
        expect(await store.papersSeenSince(T0, { limit: 1 })).toHaveLength(1);
        expect((await store.getPaper(titleHashId('Demo')))?.sample).toBe(true);
      });

      it('clears the demo tag once a real source reports the paper', async () => {
        await store.upsertPapers([pageRecord({ sample: true })], T0);
        await store.upsertPapers([record()], T1);
        expect((await store.getPaper('2410.14735'))?.sample).toBe(false);
      });

      it('stores text holding a NUL character instead of failing the batch', async () => {
        const abstract = 'Before\u0000after.';
        const summary = await store.upsertPapers(
          [record({ abstract }), record({ arxivId: '2401.00001', title: 'Other' })],
          T0,
        );
        expect(summary.added).toHaveLength(2);
        const stored = (await store.getPaper('2410.14735'))?.abstract;
        // SQLite keeps the NUL; PostgreSQL text cannot hold one and stores U+FFFD instead.
        expect(stored?.replace('\uFFFD', '\u0000')).toBe(abstract);
      });

      it('iterates every paper in insertion order, a batch at a time', async () => {
        const records = Array.from({ length: 25 }, (_, i) =>
          record({ arxivId: `2401.${String(i).padStart(5, '0')}`, title: `Paper ${i}` }),
        );
        await store.upsertPapers(records, T0);
        const batches: Paper[][] = [];
        for await (const batch of store.iteratePapers(10)) batches.push(batch);
        expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
        expect(batches.flat().map((p) => p.title)).toEqual(records.map((r) => r.title));
        expect(
          (await store.getPapers(['2401.00003', 'missing', '2401.00001'])).map((p) => p.id),
        ).toEqual(['2401.00003', '2401.00001']);
      });
    });

    describe('channels', () => {
      it('knows no channel until something is set', async () => {
        expect(await store.getChannel(DISCORD)).toBeNull();
        expect(await store.listChannels()).toEqual([]);
      });

      it('sets, reads and clears a schedule', async () => {
        const schedule = {
          time: '08:30',
          timeZone: 'Europe/Berlin',
          days: 'weekdays' as const,
          size: 7,
        };
        const channel = await store.setSchedule(DISCORD, schedule, T0);
        expect(channel).toMatchObject({
          ref: DISCORD,
          schedule,
          scheduleSetAt: T0.toISOString(),
          paused: false,
          lastDigestAt: null,
          failure: null,
          options: {},
        });
        expect(await store.getChannel(DISCORD)).toEqual(channel);
        // A reschedule keeps the first set time (the first digest window starts there).
        expect((await store.setSchedule(DISCORD, schedule, T2)).scheduleSetAt).toBe(
          T0.toISOString(),
        );
        expect((await store.setSchedule(DISCORD, null, T1)).schedule).toBeNull();
        expect((await store.getChannel(DISCORD))?.scheduleSetAt).toBeNull();
      });

      it('keeps options, pause, last digest time and failure per channel', async () => {
        await store.setChannelOptions(SHELL_CHANNEL, { thread: true });
        await store.setPaused(SHELL_CHANNEL, true);
        await store.setLastDigestAt(SHELL_CHANNEL, T1);
        await store.setChannelFailure(SHELL_CHANNEL, 'missing permission: Send Messages', T2);
        expect(await store.getChannel(SHELL_CHANNEL)).toMatchObject({
          options: { thread: true },
          paused: true,
          lastDigestAt: T1.toISOString(),
          failure: { reason: 'missing permission: Send Messages', at: T2.toISOString() },
        });
        await store.setChannelFailure(SHELL_CHANNEL, null, T2);
        expect((await store.getChannel(SHELL_CHANNEL))?.failure).toBeNull();
        await store.setSchedule(DISCORD, null, T0);
        expect((await store.listChannels()).map((c) => c.ref.platform)).toEqual([
          'discord',
          'shell',
        ]);
      });
    });

    describe('subscriptions', () => {
      const sub = {
        channel: DISCORD,
        topic: 'reinforcement learning',
        addedBy: 'u1',
        addedAt: T0.toISOString(),
      };

      it('adds once, reports a duplicate as exists, removes', async () => {
        expect(await store.addSubscription(sub)).toBe('added');
        expect(await store.addSubscription({ ...sub, addedBy: 'u2' })).toBe('exists');
        await store.addSubscription({ ...sub, topic: 'robotics', addedAt: T1.toISOString() });
        expect(await store.listSubscriptions(DISCORD)).toEqual([
          sub,
          { ...sub, topic: 'robotics', addedAt: T1.toISOString() },
        ]);
        expect(await store.listSubscriptions(SHELL_CHANNEL)).toEqual([]);
        expect(await store.removeSubscription(DISCORD, 'robotics')).toBe(true);
        expect(await store.removeSubscription(DISCORD, 'robotics')).toBe(false);
        expect((await store.listSubscriptions(DISCORD)).map((s) => s.topic)).toEqual([
          'reinforcement learning',
        ]);
      });
    });

    describe('transaction', () => {
      it('lands every write of the function, or none when it throws', async () => {
        await store.transaction(async (tx) => {
          await tx.setLastDigestAt(DISCORD, T1);
          await tx.setChannelFailure(DISCORD, 'gone', T1);
        });
        expect(await store.getChannel(DISCORD)).toMatchObject({ lastDigestAt: T1.toISOString() });
        await expect(
          store.transaction(async (tx) => {
            await tx.setLastDigestAt(DISCORD, T2);
            await tx.setChannelFailure(DISCORD, null, T2);
            throw new Error('crash between two writes');
          }),
        ).rejects.toThrow('crash between two writes');
        expect(await store.getChannel(DISCORD)).toMatchObject({
          lastDigestAt: T1.toISOString(),
          failure: { reason: 'gone', at: T1.toISOString() },
        });
        expect(await store.transaction((tx) => tx.transaction(async () => 42))).toBe(42);
      });

      it('keeps a transaction apart until it commits, even when it awaits between writes', async () => {
        await store.setLastDigestAt(DISCORD, T1);
        let wrote!: () => void;
        const written = new Promise<void>((resolve) => {
          wrote = resolve;
        });
        let issued!: () => void;
        const readIssued = new Promise<void>((resolve) => {
          issued = resolve;
        });
        const crashed = store.transaction(async (tx) => {
          await tx.setLastDigestAt(DISCORD, T2);
          wrote();
          await readIssued;
          await tx.getChannel(DISCORD);
          throw new Error('crash after the first write');
        });
        await written;
        // Another caller reads while the transaction is open and has written.
        const read = store.getChannel(DISCORD).then((c) => c?.lastDigestAt);
        issued();
        await expect(crashed).rejects.toThrow('crash after the first write');
        expect(await read).toBe(T1.toISOString());
        expect((await store.getChannel(DISCORD))?.lastDigestAt).toBe(T1.toISOString());
      });

      it('undoes only a failed inner transaction; the outer one goes on and commits', async () => {
        await store.transaction(async (tx) => {
          await tx.setLastDigestAt(DISCORD, T1);
          await expect(
            tx.transaction(async (inner) => {
              await inner.setLastDigestAt(DISCORD, T2);
              await inner.addSubscription({
                channel: DISCORD,
                topic: 'robotics',
                addedBy: 'u1',
                addedAt: T2.toISOString(),
              });
              throw new Error('inner step failed');
            }),
          ).rejects.toThrow('inner step failed');
          expect((await tx.getChannel(DISCORD))?.lastDigestAt).toBe(T1.toISOString());
          await tx.setPaused(DISCORD, true);
        });
        expect(await store.getChannel(DISCORD)).toMatchObject({
          lastDigestAt: T1.toISOString(),
          paused: true,
        });
        expect(await store.listSubscriptions(DISCORD)).toEqual([]);
      });

      it('runs concurrent transactions one after the other, each whole', async () => {
        const bump = (n: number) =>
          store.transaction(async (tx) => {
            const before = Number((await tx.getState('counter')) ?? '0');
            await tx.putState(`seen:${n}`, String(before), T0);
            await tx.putState('counter', String(before + 1), T0);
          });
        // SQLite serialises them; PostgreSQL may interleave reads, so the counter is checked
        // only for the invariant both keep: every transaction landed whole.
        await Promise.all([bump(1), bump(2), bump(3)]);
        for (const n of [1, 2, 3]) expect(await store.getState(`seen:${n}`)).not.toBeNull();
        expect(Number(await store.getState('counter'))).toBeGreaterThanOrEqual(1);
      });

      it('refuses a transaction used after it ended', async () => {
        let leaked!: AsyncStore;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked.getChannel(DISCORD)).rejects.toThrow(/after it ended/);
      });

      it('keeps the first refusal time of a streak until the mark is cleared', async () => {
        await store.setChannelFailure(DISCORD, 'missing permission', T0);
        await store.setChannelFailure(DISCORD, 'channel not found', T2);
        expect((await store.getChannel(DISCORD))?.failure).toEqual({
          reason: 'channel not found',
          at: T0.toISOString(),
        });
      });
    });

    describe('digest runs', () => {
      const run = (id: string, over: Partial<NewDigestRun> = {}): NewDigestRun => ({
        id,
        channel: DISCORD,
        digestDate: '2025-01-02',
        from: T0.toISOString(),
        to: T1.toISOString(),
        paperIds: ['a', 'b', 'c'],
        note: null,
        state: 'planned',
        createdAt: T1.toISOString(),
        parts: [
          { deliveryId: `${id}-1`, part: 1, plan: '{"p":1}', messageId: null },
          { deliveryId: `${id}-2`, part: 2, plan: '{"p":2}', messageId: null },
        ],
        ...over,
      });

      it('writes a run with its parts, updates it, completes parts, lists open ones', async () => {
        await store.createDigestRun(run('r1'));
        await store.createDigestRun(
          run('r2', { channel: SHELL_CHANNEL, state: 'empty', parts: [] }),
        );
        expect(await store.openDigestRuns()).toEqual([
          { ...run('r1'), attempts: 0, nextAttemptAt: null, lastError: null },
        ]);
        await store.updateDigestRun('r1', {
          state: 'retrying',
          attempts: 2,
          nextAttemptAt: T2.toISOString(),
          lastError: 'HTTP 503',
        });
        await store.completeDigestPart('r1-1', 'm-1');
        const [open] = await store.openDigestRuns(DISCORD);
        expect(open).toMatchObject({ state: 'retrying', attempts: 2, lastError: 'HTTP 503' });
        expect(open?.parts.map((p) => p.messageId)).toEqual(['m-1', null]);
        expect(await store.openDigestRuns(SHELL_CHANNEL)).toEqual([]);
        await store.updateDigestRun('r1', { state: 'posted' });
        expect(await store.openDigestRuns()).toEqual([]);
        expect((await store.recentDigestRuns(DISCORD, 5)).map((r) => r.id)).toEqual(['r1']);
        expect((await store.recentDigestRuns(SHELL_CHANNEL, 5)).map((r) => r.state)).toEqual([
          'empty',
        ]);
        expect(await store.countDigestRunsByState()).toEqual({ posted: 1, empty: 1 });
        await expect(store.updateDigestRun('nope', { state: 'posted' })).rejects.toThrow(/nope/);
        await expect(store.completeDigestPart('nope', 'm')).rejects.toThrow(/nope/);
      });

      it('never keeps half a run: a run and its parts are written together', async () => {
        await expect(
          store.createDigestRun(
            run('r1', {
              parts: [
                { deliveryId: 'same', part: 1, plan: '{}', messageId: null },
                { deliveryId: 'same', part: 2, plan: '{}', messageId: null },
              ],
            }),
          ),
        ).rejects.toThrow();
        expect(await store.recentDigestRuns(DISCORD, 5)).toEqual([]);
      });

      it("finds a digest's papers from any of its posted messages, only in its own channel", async () => {
        await store.createDigestRun(run('r1'));
        await store.completeDigestPart('r1-1', 'm-1');
        await store.completeDigestPart('r1-2', 'm-2');
        expect(await store.digestPaperIdsForMessage(DISCORD, 'm-2')).toEqual(['a', 'b', 'c']);
        expect(await store.digestPaperIdsForMessage(DISCORD, 'm-9')).toBeNull();
        expect(await store.digestPaperIdsForMessage(SHELL_CHANNEL, 'm-1')).toBeNull();
      });

      it('finds the channels of a workspace whose posted digests held a paper, first day each', async () => {
        const general: ChannelRef = { ...DISCORD, channel: '333' };
        const elsewhere: ChannelRef = { ...DISCORD, workspace: '999' };
        const posted = async (id: string, over: Partial<NewDigestRun>) => {
          await store.createDigestRun(run(id, over));
          await store.updateDigestRun(id, { state: 'posted' });
        };
        await posted('r1', { digestDate: '2025-01-05', paperIds: ['a', 'b', 'a'] });
        await posted('r2', { digestDate: '2025-01-03', paperIds: ['a'] });
        await posted('r3', { channel: general, digestDate: '2025-01-04', paperIds: ['a'] });
        await posted('r4', { channel: elsewhere, digestDate: '2025-01-01', paperIds: ['a'] });
        // Not posted: planned, empty, or given up (its papers skipped) is no posting.
        await store.createDigestRun(run('r5', { digestDate: '2025-01-02', paperIds: ['a'] }));
        await store.createDigestRun(
          run('r6', { channel: general, state: 'empty', digestDate: '2025-01-01', parts: [] }),
        );
        await store.createDigestRun(run('r7', { channel: general, digestDate: '2025-01-02' }));
        await store.updateDigestRun('r7', { state: 'abandoned', paperIds: ['a'] });
        const where = { platform: DISCORD.platform, workspace: DISCORD.workspace };
        expect(await store.digestPostings('a', where, 10)).toEqual([
          { channel: DISCORD, digestDate: '2025-01-03' },
          { channel: general, digestDate: '2025-01-04' },
        ]);
        expect(await store.digestPostings('a', where, 1)).toEqual([
          { channel: DISCORD, digestDate: '2025-01-03' },
        ]);
        expect(await store.digestPostings('a', { ...where, channel: '333' }, 10)).toEqual([
          { channel: general, digestDate: '2025-01-04' },
        ]);
        expect(await store.digestPostings('b', where, 10)).toEqual([
          { channel: DISCORD, digestDate: '2025-01-05' },
        ]);
        expect(await store.digestPostings('a', { ...where, workspace: '999' }, 10)).toEqual([
          { channel: elsewhere, digestDate: '2025-01-01' },
        ]);
        expect(await store.digestPostings('zzz', where, 10)).toEqual([]);
      });

      it('stamps a paper written after a digest window closed into the next window', async () => {
        const at = (t: string) => new Date(`2025-01-10T${t}.000Z`);
        const window = (from: string, to: string) => ({
          from: at(from),
          to: at(to),
          minDate: '2000-01-01',
        });
        const ids = async (from: string, to: string) =>
          (await store.digestCandidates(window(from, to))).map((c) => c.id);
        await store.upsertPapers(
          [record({ arxivId: '2501.00001', title: 'Before' })],
          at('08:59:59'),
        );
        // A planner closes the window at 09:00:01, then reads it.
        await store.closeDigestWindow(at('09:00:01'));
        // A closing of an earlier window (a planner whose clock runs behind) moves nothing back.
        await store.closeDigestWindow(at('08:00:00'));
        expect(await ids('08:00:00', '09:00:01')).toEqual(['2501.00001']);
        // A write that waited, or whose writer's clock runs behind, stamped 09:00:00: in the
        // next window (after 09:00:01), not in the one read without it.
        await store.upsertPapers(
          [record({ arxivId: '2501.00002', title: 'Late' })],
          at('09:00:00'),
        );
        expect((await store.getPaper('2501.00002'))?.firstSeenAt).toBe('2025-01-10T09:00:01.001Z');
        expect(await ids('08:00:00', '09:00:01')).toEqual(['2501.00001']);
        expect(await ids('09:00:01', '10:00:00')).toEqual(['2501.00002']);
        // A writer's clock past the window end keeps its own stamp.
        await store.upsertPapers(
          [record({ arxivId: '2501.00003', title: 'Later' })],
          at('09:30:00'),
        );
        expect((await store.getPaper('2501.00003'))?.firstSeenAt).toBe('2025-01-10T09:30:00.000Z');
      });

      it('offers as candidates only new papers of the window, in digest order', async () => {
        const day = (d: string) => new Date(`2025-01-${d}T12:00:00.000Z`);
        await store.upsertPapers(
          [
            record({
              arxivId: '2501.00001',
              title: 'Listed',
              upvotes: 3,
              observedAt: '2025-01-10T00:00:00.000Z',
              publishedAt: '2025-01-09',
            }),
          ],
          day('10'),
        );
        await store.upsertPapers(
          [
            record({
              arxivId: '2501.00002',
              title: 'Listed, more upvotes',
              upvotes: 9,
              observedAt: '2025-01-10T00:00:00.000Z',
              publishedAt: '2025-01-09',
            }),
            record({
              arxivId: '1901.00003',
              title: 'Imported',
              source: 'jsonl',
              publishedAt: '2019-01-01',
              observedAt: '2019-01-01T00:00:00.000Z',
            }),
            record({
              arxivId: '1901.00004',
              title: 'Searched',
              source: 'arxiv-api',
              publishedAt: '2019-01-01',
              observedAt: '2025-01-10T00:00:00.000Z',
            }),
            record({
              arxivId: '2412.00005',
              title: 'Old, listed today',
              source: 'huggingface',
              publishedAt: '2024-12-01',
              observedAt: '2025-01-10T00:00:00.000Z',
            }),
            record({
              arxivId: '2501.00006',
              title: 'A sample',
              sample: true,
              observedAt: '2025-01-10T00:00:00.000Z',
            }),
          ],
          day('10'),
        );
        // A replace item later never moves the feed date.
        await store.upsertPapers(
          [
            record({
              arxivId: '1901.00003',
              title: 'Imported',
              version: 2,
              announceType: 'replace',
              observedAt: '2025-01-10T01:00:00.000Z',
            }),
          ],
          day('10'),
        );
        const ids = async (from: Date, to: Date, minDate: string) =>
          (await store.digestCandidates({ from, to, minDate })).map((c) => c.id);
        expect(await ids(day('09'), day('11'), '2025-01-03')).toEqual([
          '2501.00002',
          '2501.00001',
          '2412.00005',
        ]);
        // (from, to]: the cursor's instant belongs to the run before, the plan's to this one.
        expect(await ids(day('09'), day('10'), '2025-01-03')).toEqual([
          '2501.00002',
          '2501.00001',
          '2412.00005',
        ]);
        // A page is a slice of that order (the digest reads a bounded prefix).
        const page = async (offset: number, limit: number) =>
          (
            await store.digestCandidates(
              { from: day('09'), to: day('11'), minDate: '2025-01-03' },
              { offset, limit },
            )
          ).map((c) => c.id);
        expect(await page(0, 2)).toEqual(['2501.00002', '2501.00001']);
        expect(await page(1, 5)).toEqual(['2501.00001', '2412.00005']);
        expect(await ids(day('10'), day('11'), '2025-01-03')).toEqual([]);
        expect(await ids(day('09'), day('11'), '2025-01-11')).toEqual([]);
        expect(
          (
            await store.digestCandidates({ from: day('09'), to: day('11'), minDate: '2025-01-03' })
          )[0],
        ).toEqual({
          id: '2501.00002',
          upvotes: 9,
          firstSeenAt: day('10').toISOString(),
          publishedAt: '2025-01-09',
        });
      });

      it('a paper looked up by a link becomes a candidate when a feed first lists it', async () => {
        const at = (d: string, h: string) => new Date(`2025-01-${d}T${h}:00:00.000Z`);
        const ids = async (from: Date, to: Date) =>
          (await store.digestCandidates({ from, to, minDate: '2025-01-10' })).map((c) => c.id);
        const paper = { arxivId: '2501.09999', title: 'Linked before the feed' };
        const lookup = { ...paper, source: 'arxiv-lookup' as const, publishedAt: '2025-01-13' };
        await store.upsertPapers(
          [record({ ...lookup, observedAt: at('13', '10').toISOString() })],
          at('13', '10'),
        );
        // The digest planned at noon leaves it out (known only from the lookup).
        expect(await ids(at('12', '12'), at('13', '12'))).toEqual([]);
        // The feed lists it next morning: the next digest (cursor at noon on the 13th) has it.
        const listed = at('14', '06');
        await store.upsertPapers(
          [record({ ...paper, source: 'huggingface', observedAt: listed.toISOString() })],
          listed,
        );
        expect(await ids(at('13', '12'), at('14', '12'))).toEqual(['2501.09999']);
        expect((await store.getPaper('2501.09999'))?.firstSeenAt).toBe(listed.toISOString());
        // Once listed, it is news once: a second feed or another lookup moves nothing.
        await store.upsertPapers(
          [record({ ...paper, source: 'arxiv-rss', observedAt: at('15', '06').toISOString() })],
          at('15', '06'),
        );
        await store.upsertPapers([record({ ...lookup, version: 2 })], at('15', '07'));
        expect(await ids(at('14', '12'), at('15', '12'))).toEqual([]);
        expect((await store.getPaper('2501.09999'))?.firstSeenAt).toBe(listed.toISOString());
      });

      it('lists the papers a feed listed last, by listing day; imports and lookups left out', async () => {
        const day = (d: string) => new Date(`2024-10-${d}T09:00:00.000Z`);
        const listed = (arxivId: string, d: string) =>
          store.upsertPapers(
            [
              record({
                arxivId,
                title: `Listed on the ${d}th`,
                publishedAt: null,
                source: 'huggingface',
                observedAt: day(d).toISOString(),
              }),
            ],
            day(d),
          );
        await listed('2410.00017', '17');
        await listed('2410.00018', '18');
        await listed('2410.00016', '16');
        // A bulk import and a link lookup, seen last: not listings.
        await store.upsertPapers(
          [
            record({ arxivId: '0805.00001', title: 'Imported', source: 'arxiv-snapshot' }),
            record({ arxivId: '2306.08647', title: 'Linked', source: 'arxiv-lookup' }),
          ],
          day('19'),
        );
        const ids = async (limit: number) => (await store.newestListed(limit)).map((p) => p.id);
        expect(await ids(2)).toEqual(['2410.00018', '2410.00017']);
        expect(await ids(10)).toEqual(['2410.00018', '2410.00017', '2410.00016']);
      });

      it('a linked paper stays old news when a listing replaces it, or an archive or search has it', async () => {
        const at = (d: string, h: string) => new Date(`2025-01-${d}T${h}:00:00.000Z`);
        const ids = async (from: Date, to: Date) =>
          (await store.digestCandidates({ from, to, minDate: '2020-01-01' })).map((c) => c.id);
        const paper = { arxivId: '2306.08647', title: 'Linked, then replaced' };
        const linked = at('13', '10');
        await store.upsertPapers(
          [record({ ...paper, source: 'arxiv-lookup', observedAt: linked.toISOString() })],
          linked,
        );
        const replaced = { ...paper, source: 'arxiv-rss' as const, version: 2 };
        await store.upsertPapers(
          [
            record({
              ...replaced,
              announceType: 'replace',
              observedAt: at('14', '06').toISOString(),
            }),
          ],
          at('14', '06'),
        );
        for (const source of ['arxiv-snapshot', 'arxiv-api'] as const)
          await store.upsertPapers([record({ ...paper, source, version: 3 })], at('14', '07'));
        expect(await ids(at('13', '12'), at('14', '12'))).toEqual([]);
        const stored = await store.getPaper('2306.08647');
        expect(stored).toMatchObject({ version: 3, firstSeenAt: linked.toISOString() });
      });
    });

    describe('source runs and state', () => {
      it('returns the most recent runs of a source, newest first', async () => {
        for (const [i, day] of ['01', '02', '03'].entries()) {
          await store.recordSourceRun({
            source: 'huggingface',
            startedAt: `2025-01-${day}T09:00:00.000Z`,
            finishedAt: `2025-01-${day}T09:00:02.000Z`,
            ok: i !== 1,
            fetched: 10 + i,
            added: i,
            messages: i === 1 ? ['HTTP 503'] : [],
          });
        }
        await store.recordSourceRun({
          ...(await store.recentSourceRuns('huggingface', 1))[0]!,
          source: 'arxiv-rss',
        });
        const runs = await store.recentSourceRuns('huggingface', 2);
        expect(runs.map((r) => r.startedAt.slice(8, 10))).toEqual(['03', '02']);
        expect(runs[1]).toMatchObject({ ok: false, fetched: 11, messages: ['HTTP 503'] });
        expect(await store.recentSourceRuns('arxiv-rss', 5)).toHaveLength(1);
      });

      it('keeps small keyed state', async () => {
        expect(await store.getState('page:abc')).toBeNull();
        await store.putState('page:abc', '{"q":"robotics"}', T0);
        await store.putState('page:abc', '{"q":"grasping"}', T1);
        expect(await store.getState('page:abc')).toBe('{"q":"grasping"}');
      });

      it('replaces state only when it still holds the value the caller saw', async () => {
        // Absent: the first claim inserts it, a second claim of "absent" loses.
        expect(await store.replaceState('health-warning:x', null, 'failing', T0)).toBe(true);
        expect(await store.replaceState('health-warning:x', null, 'stale', T0)).toBe(false);
        // Present: only a caller that saw the current value changes it.
        expect(await store.replaceState('health-warning:x', 'stale', '', T1)).toBe(false);
        expect(await store.getState('health-warning:x')).toBe('failing');
        expect(await store.replaceState('health-warning:x', 'failing', '', T1)).toBe(true);
        expect(await store.replaceState('health-warning:x', 'failing', '', T1)).toBe(false);
        expect(await store.getState('health-warning:x')).toBe('');
      });

      it('prunes the state under a prefix last written before a date, and nothing else', async () => {
        await store.putState('page:old', 'a', T0);
        await store.putState('page:rewritten', 'b', T0);
        await store.putState('page:rewritten', 'c', T2);
        await store.putState('page:edge', 'd', T1);
        await store.putState('pagex', 'e', T0);
        await store.putState('health:old', 'f', T0);
        expect(await store.pruneState('page:', T1)).toBe(1);
        expect(await store.getState('page:old')).toBeNull();
        expect(await store.getState('page:rewritten')).toBe('c');
        expect(await store.getState('page:edge')).toBe('d');
        expect(await store.getState('pagex')).toBe('e');
        expect(await store.getState('health:old')).toBe('f');
        expect(await store.pruneState('page:', T1)).toBe(0);
        expect(await store.pruneState('p_ge:', T2)).toBe(0);
      });
    });
  });
}
