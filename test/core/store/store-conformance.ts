import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { titleHashId } from '../../../src/core/paper.js';
import { type ChannelRef, SHELL_CHANNEL, type Store } from '../../../src/core/store/store.js';
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
        expect(store.setSchedule(DISCORD, null, T1).schedule).toBeNull();
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

    describe('deliveries', () => {
      const base = { channel: DISCORD, digestDate: '2025-01-02', createdAt: T1.toISOString() };

      it('records pending parts, completes and fails them', () => {
        const first = store.createDelivery({ ...base, part: 0, paperIds: ['a', 'b'] });
        const second = store.createDelivery({ ...base, part: 1, paperIds: ['c'] });
        expect(first).toMatchObject({ state: 'pending', messageId: null, error: null, part: 0 });
        expect(first.id).not.toBe(second.id);
        expect(store.pendingDeliveries().map((d) => d.id)).toEqual([first.id, second.id]);
        store.completeDelivery(first.id, 'm-1');
        store.failDelivery(second.id, 'channel gone');
        expect(store.pendingDeliveries()).toEqual([]);
        expect(store.listDeliveries(DISCORD, '2025-01-02')).toEqual([
          { ...first, state: 'sent', messageId: 'm-1' },
          { ...second, state: 'failed', error: 'channel gone' },
        ]);
        expect(store.listDeliveries(DISCORD, '2025-01-03')).toEqual([]);
      });

      it('knows every paper delivered or in flight to a channel, not failed ones', () => {
        const sent = store.createDelivery({ ...base, part: 0, paperIds: ['a', 'b'] });
        store.completeDelivery(sent.id, 'm-1');
        store.createDelivery({ ...base, digestDate: '2025-01-03', part: 0, paperIds: ['c'] });
        const failed = store.createDelivery({
          ...base,
          digestDate: '2025-01-04',
          part: 0,
          paperIds: ['d'],
        });
        store.failDelivery(failed.id, 'no permission');
        expect([...store.deliveredPaperIds(DISCORD)].sort()).toEqual(['a', 'b', 'c']);
        expect(store.deliveredPaperIds(SHELL_CHANNEL).size).toBe(0);
        expect(store.listDeliveries(DISCORD)).toHaveLength(3);
      });

      it("finds a digest's papers from any of its posted messages, only in its own channel", () => {
        const first = store.createDelivery({ ...base, part: 0, paperIds: ['a', 'b'] });
        const second = store.createDelivery({ ...base, part: 1, paperIds: ['c'] });
        store.completeDelivery(first.id, 'm-1');
        store.completeDelivery(second.id, 'm-2');
        expect(store.digestPaperIdsForMessage(DISCORD, 'm-2')).toEqual(['a', 'b', 'c']);
        expect(store.digestPaperIdsForMessage(DISCORD, 'm-9')).toBeNull();
        expect(store.digestPaperIdsForMessage(SHELL_CHANNEL, 'm-1')).toBeNull();
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
