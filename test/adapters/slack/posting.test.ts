import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackAdapter,
  type SlackAdapter,
} from '../../../src/adapters/slack/slack-adapter.js';
import { slackRetryAfterMs } from '../../../src/adapters/slack/slack-errors.js';
import type { DigestReply } from '../../../src/commands/reply.js';
import { manualClock } from '../../../src/core/clock.js';
import { classifyFailure, nextAttemptAt } from '../../../src/core/digest/post.js';
import { isPaperboyError } from '../../../src/core/errors.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { failOnUnhandledRejections, memoryLogger, testConfig } from './harness.js';
import { makePaper } from './papers.js';

const BOT_TOKEN = 'xoxb-test-secret-token';
const target: ChannelRef = { platform: 'slack', workspace: 'T0001', channel: 'C0001' };

const digest: DigestReply = {
  kind: 'digest',
  date: '2024-10-17',
  title: 'Paperboy digest',
  deliveryId: 'delivery-42',
  sections: [
    { topic: 'language models', items: [{ paper: makePaper(), why: 'matched: language' }] },
    {
      topic: 'robotics',
      items: [{ paper: makePaper({ id: '2401.00002', title: 'Robots' }), why: 'matched: robot' }],
    },
  ],
};

describe('Slack post() and findDelivery()', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let store: SqliteStore;
  let adapter: SlackAdapter;
  let log: ReturnType<typeof memoryLogger>;
  let waits: number[];
  const clock = manualClock('2024-10-17T09:00:00Z');

  function build(digestAsThread = false, retries?: number): SlackAdapter {
    return createSlackAdapter({
      ...(retries === undefined ? {} : { retryConfig: { retries } }),
      secrets: {
        botToken: BOT_TOKEN,
        signingSecret: 'unused',
        appToken: null,
        apiUrl: fake.apiUrl,
        port: 0,
      },
      bot: {
        store: asyncStore(store),
        contextFor: () => {
          throw new Error('post() runs no commands');
        },
      },
      config: testConfig({ digestAsThread }),
      clock,
      logger: log.logger,
      wait: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    });
  }

  beforeEach(async () => {
    // Slack stamps messages with its time: the test's clock, as the bot's is.
    fake = await startFakeSlack({ now: () => clock.now().getTime() });
    store = SqliteStore.open(':memory:');
    log = memoryLogger();
    waits = [];
    adapter = build();
  });

  afterEach(async () => {
    store.close();
    await fake.close();
  });

  it('posts a digest in the channel with its delivery id in metadata, and finds it again', async () => {
    const { messageIds } = await adapter.post(target, digest);
    expect(messageIds).toHaveLength(1);
    const [message] = fake.messages;
    expect(message?.metadata).toEqual({
      event_type: 'paperboy_digest',
      event_payload: { delivery_id: 'delivery-42' },
    });
    expect(message?.text).toContain('2 new papers');
    expect(JSON.stringify(message?.blocks)).toContain('Agent Skill Acquisition');
    expect(fake.callsOf('chat.postMessage')[0]?.authorization).toBe(`Bearer ${BOT_TOKEN}`);

    expect(await adapter.findDelivery(target, 'delivery-42')).toBe(messageIds[0]);
    expect(await adapter.findDelivery(target, 'delivery-other')).toBeNull();
    expect(fake.callsOf('conversations.history')[0]?.params.include_all_metadata).toBe('true');
  });

  it('looks a delivery up in the last week of history only, as Slack filters by oldest', async () => {
    const { messageIds } = await adapter.post(target, digest);
    clock.advance(6 * 86_400_000);
    expect(await adapter.findDelivery(target, 'delivery-42')).toBe(messageIds[0]);
    clock.advance(2 * 86_400_000);
    expect(await adapter.findDelivery(target, 'delivery-42')).toBeNull();
    const oldest = Number(fake.callsOf('conversations.history').at(-1)?.params.oldest);
    expect(oldest * 1000).toBe(clock.now().getTime() - 7 * 86_400_000);
  });

  it('posts a digest as a parent message with the papers in its thread, paced per channel', async () => {
    adapter = build(true);
    const { messageIds } = await adapter.post(target, digest);
    expect(messageIds).toHaveLength(3);
    const [parent, ...replies] = fake.messages;
    expect(parent?.metadata?.event_payload).toEqual({ delivery_id: 'delivery-42', replies: 2 });
    expect(replies.map((r) => r.metadata?.event_payload)).toEqual([
      { delivery_id: 'delivery-42', reply: 1 },
      { delivery_id: 'delivery-42', reply: 2 },
    ]);
    expect(parent?.thread_ts).toBeUndefined();
    expect(replies.map((r) => r.thread_ts)).toEqual([parent?.ts, parent?.ts]);
    expect(JSON.stringify(replies[1]?.blocks)).toContain('Robots');
    // About one message a second per channel: two waits between three messages.
    expect(waits).toEqual([1000, 1000]);
    expect(await adapter.findDelivery(target, 'delivery-42')).toBe(parent?.ts);
  });

  it('completes a thread a crash cut short: posted replies are kept, only missing ones posted', async () => {
    adapter = build(true);
    await adapter.post(target, digest);
    const [parent, first] = fake.messages;
    // Killed after the parent and the first reply: the second never reached Slack.
    fake.messages.splice(2);
    const posts = fake.callsOf('chat.postMessage').length;

    // Reconciliation reads the thread: a short thread is not a posted part...
    expect(await adapter.findDelivery(target, 'delivery-42')).toBeNull();
    expect(fake.callsOf('conversations.replies').at(-1)?.params).toMatchObject({
      ts: parent?.ts,
      include_all_metadata: 'true',
    });
    // ...and posting the part again completes that thread instead of starting another.
    const { messageIds } = await adapter.post(target, digest);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(posts + 1);
    const last = fake.messages.at(-1);
    expect(last?.thread_ts).toBe(parent?.ts);
    expect(last?.metadata?.event_payload).toEqual({ delivery_id: 'delivery-42', reply: 2 });
    expect(messageIds).toEqual([parent?.ts, first?.ts, last?.ts]);
    expect(fake.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(await adapter.findDelivery(target, 'delivery-42')).toBe(parent?.ts);
  });

  it('counts a parent as posted when Slack will not let the app read its thread', async () => {
    adapter = build(true);
    await adapter.post(target, digest);
    const [parent] = fake.messages;
    fake.messages.splice(2);
    fake.fail('conversations.replies', { error: 'missing_scope' });
    expect(await adapter.findDelivery(target, 'delivery-42')).toBe(parent?.ts);
    expect(log.lines().some((l) => l.code === 'missing_scope')).toBe(true);
  });

  it('completes a thread whose parent was posted just before a crash (nothing recorded)', async () => {
    adapter = build(true);
    await adapter.post(target, digest);
    const [parent] = fake.messages;
    fake.messages.splice(1);
    // A fresh store: the parent's thread was never written down.
    store.close();
    store = SqliteStore.open(':memory:');
    adapter = build(true);
    expect(await adapter.findDelivery(target, 'delivery-42')).toBeNull();
    const { messageIds } = await adapter.post(target, digest);
    expect(fake.messages.filter((m) => !m.thread_ts)).toEqual([parent]);
    expect(fake.messages.map((m) => m.thread_ts ?? 'parent')).toEqual([
      'parent',
      parent?.ts,
      parent?.ts,
    ]);
    expect(messageIds[0]).toBe(parent?.ts);
  });

  it('waits out a 429 with Retry-After and then posts', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const { messageIds } = await adapter.post(target, digest);
    expect(messageIds).toHaveLength(1);
    expect(fake.callsOf('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(
      log.lines().some((l) => l.retryAfterSeconds === 1 && String(l.msg).includes('rate limit')),
    ).toBe(true);
  });

  it("a 429 the client could not wait out carries Slack's Retry-After to the digest's retry time", async () => {
    // No retries: the WebClient waits the 1 s Retry-After once, then gives up.
    adapter = build(false, 0);
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const error = await adapter.post(target, digest).catch((e: unknown) => e);
    expect(isPaperboyError(error, 'POST_FAILED')).toBe(true);
    expect(classifyFailure(error)).toEqual({
      kind: 'transient',
      reason: 'Slack did not accept the message (rate limited).',
      retryAfterMs: 1000,
    });
    // The Web API's own rate-limited error (rejectRateLimitedCalls) says it in seconds.
    const limited = Object.assign(new Error('rate limited'), {
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 600,
    });
    expect(slackRetryAfterMs(limited)).toBe(600_000);
    expect(nextAttemptAt(clock.now(), 1, 600_000).getTime() - clock.now().getTime()).toBe(600_000);
  });

  it('fails fast on a stuck 500 after a bounded, logged retry', async () => {
    fake.fail('chat.postMessage', { status: 500 }, 10);
    const error = await adapter.post(target, digest).catch((e: unknown) => e);
    expect(isPaperboyError(error, 'POST_FAILED')).toBe(true);
    expect((error as Error).message).toContain('HTTP 500');
    // retries: 2 → three attempts, then it gives up.
    expect(fake.callsOf('chat.postMessage')).toHaveLength(3);
    expect(log.lines().some((l) => l.level === 50 && l.error === 'HTTP 500')).toBe(true);
    expect(fake.messages).toHaveLength(0);
  });

  it.each(['not_in_channel', 'is_archived', 'channel_not_found'] as const)(
    '%s marks the channel and throws CHANNEL_UNAVAILABLE',
    async (state) => {
      fake.setChannelState('C0001', state);
      const error = await adapter.post(target, digest).catch((e: unknown) => e);
      expect(isPaperboyError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
      expect(store.getChannel(target)?.failure?.reason).toContain(state);
      // A refusal is final: no retries.
      expect(fake.callsOf('chat.postMessage')).toHaveLength(1);

      const again = await adapter.findDelivery(target, 'delivery-42').catch((e: unknown) => e);
      expect(isPaperboyError(again, 'CHANNEL_UNAVAILABLE')).toBe(true);
    },
  );

  it.each(['msg_too_long', 'invalid_blocks'])(
    '%s is a permanent rejection (POST_REJECTED), not retried and not a channel refusal',
    async (code) => {
      fake.fail('chat.postMessage', { error: code });
      const error = await adapter.post(target, digest).catch((e: unknown) => e);
      expect(isPaperboyError(error, 'POST_REJECTED')).toBe(true);
      expect((error as Error).message).toContain(code);
      expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
      expect(store.getChannel(target)?.failure ?? null).toBeNull();
    },
  );

  it('clears a recorded failure once the channel accepts messages again', async () => {
    fake.fail('chat.postMessage', { error: 'not_in_channel' });
    await expect(adapter.post(target, digest)).rejects.toThrow(/invite/);
    expect(store.getChannel(target)?.failure).not.toBeNull();
    await adapter.post(target, digest);
    expect(store.getChannel(target)?.failure).toBeNull();
  });

  it('refuses to start with a token Slack rejects, saying which variable, not its value', async () => {
    fake.fail('auth.test', { error: 'invalid_auth' });
    const error = await adapter.start().catch((e: unknown) => e);
    expect(isPaperboyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /^Slack refused SLACK_BOT_TOKEN \(invalid_auth\): copy the Bot User OAuth Token/,
    );
    await adapter.stop();
  });

  it('never logs the bot token', async () => {
    fake.fail('chat.postMessage', { status: 500 }, 10);
    fake.fail('chat.postMessage', { status: 429, retryAfter: 0 });
    await adapter.post(target, digest).catch(() => undefined);
    expect(log.text()).not.toContain(BOT_TOKEN);
    expect(log.text().length).toBeGreaterThan(0);
  });
});
