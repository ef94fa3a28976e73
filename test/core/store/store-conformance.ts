import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { titleHashId } from '../../../src/core/paper.js';
import {
  type ChannelRef,
  type NewDigestRun,
  SHELL_CHANNEL,
  type Store,
} from '../../../src/core/store/store.js';
import { pageRecord, record } from './records.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const T1 = new Date('2025-01-02T00:00:00.000Z');
const T2 = new Date('2025-01-03T00:00:00.000Z');
const DISCORD: ChannelRef = { platform: 'discord', workspace: '111', channel: '222' };

/**
 * The behaviour every Store implementation must have, written against the interface only,
 * so a second implementation (e.g. PostgreSQL) runs the same suite.
 */
export function describeStore(name: string, makeStore: () => Store | Promise<Store>): void {
  describe(`${name} conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(() => store.close());

    describe('papers', () => {
      it('stores a new paper and reads it back whole', () => {
        const summary = store.upsertPapers(
          [record({ links: { code: 'https://github.com/x/y' } })],
          T0,
        );
        expect(summary).toEqual({
          added: ['2410.14735'],
          updated: [],
          unchanged: 0,
          skippedReplacements: [],
        });
        const paper = store.getPaper('2410.14735');
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
        expect(store.countPapers()).toBe(1);
        expect(store.getPaper('2401.00001')).toBeNull();
      });

      it('changes nothing when the same records arrive again', () => {
        const batch = [record(), pageRecord({ title: 'Another paper entirely', upvotes: 3 })];
        store.upsertPapers(batch, T0);
        const stamp = store.papersStamp();
        const before = store.getPapers(['2410.14735', titleHashId('Another paper entirely')]);
        expect(store.upsertPapers(batch, T1)).toEqual({
          added: [],
          updated: [],
          unchanged: 2,
          skippedReplacements: [],
        });
        expect(store.papersStamp()).toEqual(stamp);
        expect(store.getPapers(['2410.14735', titleHashId('Another paper entirely')])).toEqual(
          before,
        );
      });

      it('merges one paper seen in two sources into one row with both sources', () => {
        store.upsertPapers([record({ authors: [], authorCount: 4, keywords: ['QD'] })], T0);
        const summary = store.upsertPapers(
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
        const paper = store.getPaper('2410.14735');
        expect(paper?.sources).toEqual(['arxiv-rss', 'huggingface']);
        expect(paper?.authors).toHaveLength(4);
        expect(paper?.upvotes).toBe(12);
        expect(paper?.keywords).toEqual(['QD', 'model merging']);
        expect(paper?.categories).toEqual(['cs.NE', 'cs.CL']);
        expect(paper?.links.huggingface).toBe('https://huggingface.co/papers/2410.14735');
        expect(paper?.firstSeenAt).toBe(T0.toISOString());
        expect(paper?.updatedAt).toBe(T1.toISOString());
        expect(store.countPapers()).toBe(1);
      });

      it('never lets a null overwrite a known value', () => {
        store.upsertPapers([record({ upvotes: 7, comments: 2, comment: '12 pages' })], T0);
        store.upsertPapers(
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
        expect(store.getPaper('2410.14735')).toMatchObject({
          upvotes: 7,
          comments: 2,
          comment: '12 pages',
          publishedAt: '2024-10-09',
        });
      });

      it('takes counts from the newer observation, whatever the ingest order', () => {
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
        store.upsertPapers([newer], T0);
        expect(store.upsertPapers([older], T1).unchanged).toBe(1);
        expect(store.getPaper('2410.14735')?.upvotes).toBe(40);
        store.upsertPapers(
          [record({ source: 'huggingface', upvotes: 41, observedAt: '2024-10-21T00:00:00Z' })],
          T2,
        );
        expect(store.getPaper('2410.14735')).toMatchObject({
          upvotes: 41,
          observedAt: '2024-10-21T00:00:00Z',
        });
      });

      it('prefers author names to a bare count', () => {
        store.upsertPapers([pageRecord({ authorCount: 4 })], T0);
        store.upsertPapers([record()], T1);
        store.upsertPapers([pageRecord({ authorCount: 5 })], T2);
        const paper = store.getPaper('2410.14735');
        expect(paper?.authors).toEqual([
          'So Kuroki',
          'Taishi Nakamura',
          'Takuya Akiba',
          'Yujin Tang',
        ]);
        expect(paper?.authorCount).toBe(4);
      });

      it('merges a title-hash row into the arXiv row in place when the id arrives', () => {
        const page = pageRecord({
          title: 'Agent Skill Acquisition for Large Language Models via  CycleQD',
        });
        store.upsertPapers([page], T0);
        const hashId = titleHashId(page.title);
        expect(store.getPaper(hashId)?.authorCount).toBe(4);
        const seq = store.papersStamp().lastChange;
        const summary = store.upsertPapers(
          [record({ title: 'Agent skill acquisition for large language models via CycleQD!' })],
          T1,
        );
        expect(summary).toEqual({
          added: [],
          updated: ['2410.14735'],
          unchanged: 0,
          skippedReplacements: [],
        });
        expect(store.getPaper(hashId)).toBeNull();
        const paper = store.getPaper('2410.14735');
        expect(paper).toMatchObject({
          arxivId: '2410.14735',
          sources: ['hf-page', 'arxiv-rss'],
          upvotes: 2,
          firstSeenAt: T0.toISOString(),
        });
        expect(paper?.authors).toHaveLength(4);
        expect(store.countPapers()).toBe(1);
        expect(store.papersStamp().lastChange).toBeGreaterThan(seq);
      });

      it('merges a title-only record into an existing arXiv row', () => {
        store.upsertPapers([record()], T0);
        const summary = store.upsertPapers([pageRecord({ upvotes: 9 })], T1);
        expect(summary.updated).toEqual(['2410.14735']);
        expect(store.countPapers()).toBe(1);
        expect(store.getPaper('2410.14735')).toMatchObject({
          sources: ['arxiv-rss', 'hf-page'],
          upvotes: 9,
        });
        expect(store.upsertPapers([pageRecord({ upvotes: 9 })], T2).unchanged).toBe(1);
      });

      it('sends an arXiv record to its own row even when a title-hash row shares its title', () => {
        store.upsertPapers([record({ title: 'Old title' })], T0);
        store.upsertPapers([record({ version: 2, title: 'New title' })], T1);
        store.upsertPapers([pageRecord({ title: 'Old title' })], T1);
        expect(store.countPapers()).toBe(2);
        const summary = store.upsertPapers([record({ title: 'Old title', upvotes: 3 })], T2);
        expect(summary.updated).toEqual(['2410.14735']);
        expect(store.getPaper('2410.14735')).toMatchObject({ title: 'New title', upvotes: 3 });
        expect(store.getPaper(titleHashId('Old title'))?.sources).toEqual(['hf-page']);
      });

      it('keeps distinct papers with different ids apart even with the same title', () => {
        store.upsertPapers([record(), record({ arxivId: '2501.00001' })], T0);
        expect(store.countPapers()).toBe(2);
      });

      it('updates version and text for a new arXiv version without a new row', () => {
        store.upsertPapers([record()], T0);
        const summary = store.upsertPapers(
          [record({ version: 2, abstract: 'A revised abstract.', comment: 'v2: more results' })],
          T1,
        );
        expect(summary.updated).toEqual(['2410.14735']);
        expect(store.getPaper('2410.14735')).toMatchObject({
          version: 2,
          abstract: 'A revised abstract.',
          comment: 'v2: more results',
        });
        store.upsertPapers([record({ version: 1, abstract: 'The first abstract.' })], T2);
        expect(store.getPaper('2410.14735')).toMatchObject({
          version: 2,
          abstract: 'A revised abstract.',
        });
        expect(store.countPapers()).toBe(1);
      });

      it('never stores a replace record of an unknown paper; updates a known one in place', () => {
        const replacement = record({ announceType: 'replace', version: 3, abstract: 'Revised.' });
        expect(store.upsertPapers([replacement], T0)).toEqual({
          added: [],
          updated: [],
          unchanged: 0,
          skippedReplacements: ['2410.14735'],
        });
        expect(store.getPaper('2410.14735')).toBeNull();
        store.upsertPapers([record()], T0);
        const summary = store.upsertPapers([replacement], T1);
        expect(summary.updated).toEqual(['2410.14735']);
        expect(summary.skippedReplacements).toEqual([]);
        expect(store.getPaper('2410.14735')).toMatchObject({
          version: 3,
          abstract: 'Revised.',
          firstSeenAt: T0.toISOString(),
        });
        expect(store.countPapers()).toBe(1);
      });

      it('counts one record added and changed in the same batch as added', () => {
        const summary = store.upsertPapers(
          [pageRecord(), record(), record({ source: 'huggingface', upvotes: 3 })],
          T0,
        );
        expect(summary).toEqual({
          added: ['2410.14735'],
          updated: [],
          unchanged: 0,
          skippedReplacements: [],
        });
        expect(store.countPapers()).toBe(1);
      });

      it('advances the stamp on every write and only then', () => {
        expect(store.papersStamp()).toEqual({ count: 0, lastChange: 0 });
        store.upsertPapers([record()], T0);
        const first = store.papersStamp();
        expect(first.count).toBe(1);
        expect(first.lastChange).toBeGreaterThan(0);
        store.upsertPapers([record({ upvotes: 1 })], T1);
        expect(store.papersStamp().lastChange).toBeGreaterThan(first.lastChange);
      });

      it('lists papers seen since a time, newest first, demo papers only when asked', () => {
        store.upsertPapers([record({ arxivId: '2401.00001', title: 'Old' })], T0);
        store.upsertPapers([record({ arxivId: '2401.00002', title: 'Mid' })], T1);
        store.upsertPapers(
          [
            record({ arxivId: '2401.00003', title: 'New' }),
            pageRecord({ title: 'Demo', sample: true }),
          ],
          T2,
        );
        const ids = (list: { id: string }[]) => list.map((p) => p.id);
        expect(ids(store.papersSeenSince(T1))).toEqual(['2401.00003', '2401.00002']);
        expect(store.papersSeenSince(T2, { includeSample: true })).toHaveLength(2);
        expect(store.papersSeenSince(T0, { limit: 1 })).toHaveLength(1);
        expect(store.getPaper(titleHashId('Demo'))?.sample).toBe(true);
      });

      it('clears the demo tag once a real source reports the paper', () => {
        store.upsertPapers([pageRecord({ sample: true })], T0);
        store.upsertPapers([record()], T1);
        expect(store.getPaper('2410.14735')?.sample).toBe(false);
      });

      it('iterates every paper in insertion order, a batch at a time', () => {
        const records = Array.from({ length: 25 }, (_, i) =>
          record({ arxivId: `2401.${String(i).padStart(5, '0')}`, title: `Paper ${i}` }),
        );
        store.upsertPapers(records, T0);
        const batches = [...store.iteratePapers(10)];
        expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
        expect(batches.flat().map((p) => p.title)).toEqual(records.map((r) => r.title));
        expect(store.getPapers(['2401.00003', 'missing', '2401.00001']).map((p) => p.id)).toEqual([
          '2401.00003',
          '2401.00001',
        ]);
      });
    });

    describe('channels', () => {
      it('knows no channel until something is set', () => {
        expect(store.getChannel(DISCORD)).toBeNull();
        expect(store.listChannels()).toEqual([]);
      });

      it('sets, reads and clears a schedule', () => {
        const schedule = {
          time: '08:30',
          timeZone: 'Europe/Berlin',
          days: 'weekdays' as const,
          size: 7,
        };
        const channel = store.setSchedule(DISCORD, schedule, T0);
        expect(channel).toMatchObject({
          ref: DISCORD,
          schedule,
          scheduleSetAt: T0.toISOString(),
          paused: false,
          lastDigestAt: null,
          failure: null,
          options: {},
        });
        expect(store.getChannel(DISCORD)).toEqual(channel);
        // A reschedule keeps the first set time (the first digest window starts there).
        expect(store.setSchedule(DISCORD, schedule, T2).scheduleSetAt).toBe(T0.toISOString());
        expect(store.setSchedule(DISCORD, null, T1).schedule).toBeNull();
        expect(store.getChannel(DISCORD)?.scheduleSetAt).toBeNull();
      });

      it('keeps options, pause, last digest time and failure per channel', () => {
        store.setChannelOptions(SHELL_CHANNEL, { thread: true });
        store.setPaused(SHELL_CHANNEL, true);
        store.setLastDigestAt(SHELL_CHANNEL, T1);
        store.setChannelFailure(SHELL_CHANNEL, 'missing permission: Send Messages', T2);
        expect(store.getChannel(SHELL_CHANNEL)).toMatchObject({
          options: { thread: true },
          paused: true,
          lastDigestAt: T1.toISOString(),
          failure: { reason: 'missing permission: Send Messages', at: T2.toISOString() },
        });
        store.setChannelFailure(SHELL_CHANNEL, null, T2);
        expect(store.getChannel(SHELL_CHANNEL)?.failure).toBeNull();
        store.setSchedule(DISCORD, null, T0);
        expect(store.listChannels().map((c) => c.ref.platform)).toEqual(['discord', 'shell']);
      });
    });

    describe('subscriptions', () => {
      const sub = {
        channel: DISCORD,
        topic: 'reinforcement learning',
        addedBy: 'u1',
        addedAt: T0.toISOString(),
      };

      it('adds once, reports a duplicate as exists, removes', () => {
        expect(store.addSubscription(sub)).toBe('added');
        expect(store.addSubscription({ ...sub, addedBy: 'u2' })).toBe('exists');
        store.addSubscription({ ...sub, topic: 'robotics', addedAt: T1.toISOString() });
        expect(store.listSubscriptions(DISCORD)).toEqual([
          sub,
          { ...sub, topic: 'robotics', addedAt: T1.toISOString() },
        ]);
        expect(store.listSubscriptions(SHELL_CHANNEL)).toEqual([]);
        expect(store.removeSubscription(DISCORD, 'robotics')).toBe(true);
        expect(store.removeSubscription(DISCORD, 'robotics')).toBe(false);
        expect(store.listSubscriptions(DISCORD).map((s) => s.topic)).toEqual([
          'reinforcement learning',
        ]);
      });
    });

    describe('transaction', () => {
      it('lands every write of the function, or none when it throws', () => {
        store.transaction(() => {
          store.setLastDigestAt(DISCORD, T1);
          store.setChannelFailure(DISCORD, 'gone', T1);
        });
        expect(store.getChannel(DISCORD)).toMatchObject({ lastDigestAt: T1.toISOString() });
        expect(() =>
          store.transaction(() => {
            store.setLastDigestAt(DISCORD, T2);
            store.setChannelFailure(DISCORD, null, T2);
            throw new Error('crash between two writes');
          }),
        ).toThrow('crash between two writes');
        expect(store.getChannel(DISCORD)).toMatchObject({
          lastDigestAt: T1.toISOString(),
          failure: { reason: 'gone', at: T1.toISOString() },
        });
        expect(store.transaction(() => store.transaction(() => 42))).toBe(42);
      });

      it('keeps the first refusal time of a streak until the mark is cleared', () => {
        store.setChannelFailure(DISCORD, 'missing permission', T0);
        store.setChannelFailure(DISCORD, 'channel not found', T2);
        expect(store.getChannel(DISCORD)?.failure).toEqual({
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

      it('writes a run with its parts, updates it, completes parts, lists open ones', () => {
        store.createDigestRun(run('r1'));
        store.createDigestRun(run('r2', { channel: SHELL_CHANNEL, state: 'empty', parts: [] }));
        expect(store.openDigestRuns()).toEqual([
          { ...run('r1'), attempts: 0, nextAttemptAt: null, lastError: null },
        ]);
        store.updateDigestRun('r1', {
          state: 'retrying',
          attempts: 2,
          nextAttemptAt: T2.toISOString(),
          lastError: 'HTTP 503',
        });
        store.completeDigestPart('r1-1', 'm-1');
        const [open] = store.openDigestRuns(DISCORD);
        expect(open).toMatchObject({ state: 'retrying', attempts: 2, lastError: 'HTTP 503' });
        expect(open?.parts.map((p) => p.messageId)).toEqual(['m-1', null]);
        expect(store.openDigestRuns(SHELL_CHANNEL)).toEqual([]);
        store.updateDigestRun('r1', { state: 'posted' });
        expect(store.openDigestRuns()).toEqual([]);
        expect(store.recentDigestRuns(DISCORD, 5).map((r) => r.id)).toEqual(['r1']);
        expect(store.recentDigestRuns(SHELL_CHANNEL, 5).map((r) => r.state)).toEqual(['empty']);
        expect(() => store.updateDigestRun('nope', { state: 'posted' })).toThrow(/nope/);
        expect(() => store.completeDigestPart('nope', 'm')).toThrow(/nope/);
      });

      it('never keeps half a run: a run and its parts are written together', () => {
        expect(() =>
          store.createDigestRun(
            run('r1', {
              parts: [
                { deliveryId: 'same', part: 1, plan: '{}', messageId: null },
                { deliveryId: 'same', part: 2, plan: '{}', messageId: null },
              ],
            }),
          ),
        ).toThrow();
        expect(store.recentDigestRuns(DISCORD, 5)).toEqual([]);
      });

      it('claims a run for one owner at a time, until its lease expires or it is released', () => {
        store.createDigestRun(run('r1'));
        const lease = 120_000;
        const at = (ms: number) => new Date(T1.getTime() + ms);
        expect(store.claimDigestRun('r1', 'A', at(0), lease)).toBe(true);
        // Another owner waits out a live lease; the holder renews it.
        expect(store.claimDigestRun('r1', 'B', at(60_000), lease)).toBe(false);
        expect(store.claimDigestRun('r1', 'A', at(60_000), lease)).toBe(true);
        expect(store.claimDigestRun('r1', 'B', at(150_000), lease)).toBe(false);
        // The renewed lease ends at 180 s: then a dead holder's claim is taken over.
        expect(store.claimDigestRun('r1', 'B', at(180_000), lease)).toBe(true);
        expect(store.claimDigestRun('r1', 'A', at(200_000), lease)).toBe(false);
        // Releasing someone else's claim does nothing; the holder's release frees it at once.
        store.releaseDigestRun('r1', 'A');
        expect(store.claimDigestRun('r1', 'C', at(200_000), lease)).toBe(false);
        store.releaseDigestRun('r1', 'B');
        expect(store.claimDigestRun('r1', 'C', at(200_000), lease)).toBe(true);
        // A claim is per run, and does not change what the run reads as.
        store.createDigestRun(run('r2', { channel: SHELL_CHANNEL }));
        expect(store.claimDigestRun('r2', 'A', at(200_000), lease)).toBe(true);
        expect(store.openDigestRuns(DISCORD)).toEqual([
          { ...run('r1'), attempts: 0, nextAttemptAt: null, lastError: null },
        ]);
        expect(() => store.claimDigestRun('nope', 'A', at(0), lease)).toThrow(/nope/);
      });

      it('keeps a claim taken inside a transaction only when the transaction lands', () => {
        store.createDigestRun(run('r1'));
        expect(() =>
          store.transaction(() => {
            store.claimDigestRun('r1', 'A', T1, 120_000);
            throw new Error('rolled back');
          }),
        ).toThrow('rolled back');
        expect(store.claimDigestRun('r1', 'B', T1, 120_000)).toBe(true);
      });

      it("finds a digest's papers from any of its posted messages, only in its own channel", () => {
        store.createDigestRun(run('r1'));
        store.completeDigestPart('r1-1', 'm-1');
        store.completeDigestPart('r1-2', 'm-2');
        expect(store.digestPaperIdsForMessage(DISCORD, 'm-2')).toEqual(['a', 'b', 'c']);
        expect(store.digestPaperIdsForMessage(DISCORD, 'm-9')).toBeNull();
        expect(store.digestPaperIdsForMessage(SHELL_CHANNEL, 'm-1')).toBeNull();
      });

      it('offers as candidates only new papers of the window, in digest order', () => {
        const day = (d: string) => new Date(`2025-01-${d}T12:00:00.000Z`);
        store.upsertPapers(
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
        store.upsertPapers(
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
        store.upsertPapers(
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
        const ids = (from: Date, to: Date, minDate: string) =>
          store.digestCandidates({ from, to, minDate }).map((c) => c.id);
        expect(ids(day('09'), day('11'), '2025-01-03')).toEqual([
          '2501.00002',
          '2501.00001',
          '2412.00005',
        ]);
        // (from, to]: the cursor's instant belongs to the run before, the plan's to this one.
        expect(ids(day('09'), day('10'), '2025-01-03')).toEqual([
          '2501.00002',
          '2501.00001',
          '2412.00005',
        ]);
        // A page is a slice of that order (the digest reads a bounded prefix).
        const page = (offset: number, limit: number) =>
          store
            .digestCandidates(
              { from: day('09'), to: day('11'), minDate: '2025-01-03' },
              { offset, limit },
            )
            .map((c) => c.id);
        expect(page(0, 2)).toEqual(['2501.00002', '2501.00001']);
        expect(page(1, 5)).toEqual(['2501.00001', '2412.00005']);
        expect(ids(day('10'), day('11'), '2025-01-03')).toEqual([]);
        expect(ids(day('09'), day('11'), '2025-01-11')).toEqual([]);
        expect(
          store.digestCandidates({ from: day('09'), to: day('11'), minDate: '2025-01-03' })[0],
        ).toEqual({
          id: '2501.00002',
          upvotes: 9,
          firstSeenAt: day('10').toISOString(),
          publishedAt: '2025-01-09',
        });
      });

      it('a paper looked up by a link becomes a candidate when a feed first lists it', () => {
        const at = (d: string, h: string) => new Date(`2025-01-${d}T${h}:00:00.000Z`);
        const ids = (from: Date, to: Date) =>
          store.digestCandidates({ from, to, minDate: '2025-01-10' }).map((c) => c.id);
        const paper = { arxivId: '2501.09999', title: 'Linked before the feed' };
        const lookup = { ...paper, source: 'arxiv-lookup' as const, publishedAt: '2025-01-13' };
        store.upsertPapers(
          [record({ ...lookup, observedAt: at('13', '10').toISOString() })],
          at('13', '10'),
        );
        // The digest planned at noon leaves it out (known only from the lookup).
        expect(ids(at('12', '12'), at('13', '12'))).toEqual([]);
        // The feed lists it next morning: the next digest (cursor at noon on the 13th) has it.
        const listed = at('14', '06');
        store.upsertPapers(
          [record({ ...paper, source: 'huggingface', observedAt: listed.toISOString() })],
          listed,
        );
        expect(ids(at('13', '12'), at('14', '12'))).toEqual(['2501.09999']);
        expect(store.getPaper('2501.09999')?.firstSeenAt).toBe(listed.toISOString());
        // Once listed, it is news once: a second feed or another lookup moves nothing.
        store.upsertPapers(
          [record({ ...paper, source: 'arxiv-rss', observedAt: at('15', '06').toISOString() })],
          at('15', '06'),
        );
        store.upsertPapers([record({ ...lookup, version: 2 })], at('15', '07'));
        expect(ids(at('14', '12'), at('15', '12'))).toEqual([]);
        expect(store.getPaper('2501.09999')?.firstSeenAt).toBe(listed.toISOString());
      });
    });

    describe('source runs and state', () => {
      it('returns the most recent runs of a source, newest first', () => {
        for (const [i, day] of ['01', '02', '03'].entries()) {
          store.recordSourceRun({
            source: 'huggingface',
            startedAt: `2025-01-${day}T09:00:00.000Z`,
            finishedAt: `2025-01-${day}T09:00:02.000Z`,
            ok: i !== 1,
            fetched: 10 + i,
            added: i,
            messages: i === 1 ? ['HTTP 503'] : [],
          });
        }
        store.recordSourceRun({
          ...store.recentSourceRuns('huggingface', 1)[0]!,
          source: 'arxiv-rss',
        });
        const runs = store.recentSourceRuns('huggingface', 2);
        expect(runs.map((r) => r.startedAt.slice(8, 10))).toEqual(['03', '02']);
        expect(runs[1]).toMatchObject({ ok: false, fetched: 11, messages: ['HTTP 503'] });
        expect(store.recentSourceRuns('arxiv-rss', 5)).toHaveLength(1);
      });

      it('keeps small keyed state', () => {
        expect(store.getState('page:abc')).toBeNull();
        store.putState('page:abc', '{"q":"robotics"}', T0);
        store.putState('page:abc', '{"q":"grasping"}', T1);
        expect(store.getState('page:abc')).toBe('{"q":"grasping"}');
      });

      it('prunes the state under a prefix last written before a date, and nothing else', () => {
        store.putState('page:old', 'a', T0);
        store.putState('page:rewritten', 'b', T0);
        store.putState('page:rewritten', 'c', T2);
        store.putState('page:edge', 'd', T1);
        store.putState('pagex', 'e', T0);
        store.putState('health:old', 'f', T0);
        expect(store.pruneState('page:', T1)).toBe(1);
        expect(store.getState('page:old')).toBeNull();
        expect(store.getState('page:rewritten')).toBe('c');
        expect(store.getState('page:edge')).toBe('d');
        expect(store.getState('pagex')).toBe('e');
        expect(store.getState('health:old')).toBe('f');
        expect(store.pruneState('page:', T1)).toBe(0);
        expect(store.pruneState('p_ge:', T2)).toBe(0);
      });
    });
  });
}
