import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { sendCommand } from '../../fakes/discord/interactions.js';
import { messagePayload, nextSnowflake, userPayload } from '../../fakes/discord/payloads.js';
import { digestReply as digest, hostilePaper } from './fixtures.js';
import { answerTo, failOnCrash, type Harness, startHarness } from './harness.js';

failOnCrash();

describe('Discord digest posting (real discord.js against the fake)', () => {
  let h: Harness;
  const ref = (channel: string): ChannelRef => ({
    platform: 'discord',
    workspace: h.fake.guildId,
    channel,
  });
  const posts = (channel: string) =>
    h.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`,
    );

  afterEach(async () => {
    await h?.close();
  });

  it('posts to a text channel with a nonce, no mentions, and finds the delivery again', async () => {
    h = await startHarness();
    const { text } = h.fake.channels;
    const result = await h.adapter.post(ref(text), digest('d-1'));
    const stored = h.fake.messages(text);
    expect(result.messageIds).toEqual([stored[0]?.id]);
    const body = posts(text)[0]?.body;
    expect(body.enforce_nonce).toBe(true);
    expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0].footer.text).toContain('delivery d-1');

    // A quick retry of the same part carries the same nonce: Discord returns the first message.
    const again = await h.adapter.post(ref(text), digest('d-1'));
    expect(posts(text)[1]?.body.nonce).toBe(body.nonce);
    expect(again.messageIds).toEqual(result.messageIds);
    expect(h.fake.messages(text)).toHaveLength(1);

    expect(await h.adapter.findDelivery(ref(text), 'd-1')).toBe(result.messageIds[0]);
    expect(await h.adapter.findDelivery(ref(text), 'd-2')).toBeNull();
    const history = h.fake.requests.find(
      (r) => r.method === 'GET' && r.path === `/channels/${text}/messages`,
    );
    expect(history?.query.get('limit')).toBe('100');
  });

  /** `count` messages by someone else after everything in the channel so far. */
  function chatter(channel: string, count: number): void {
    const user = userPayload('42', 'chatty');
    const more = Array.from({ length: count }, () =>
      messagePayload(nextSnowflake(), channel, user, { content: 'hi' }),
    );
    h.fake.setMessages(channel, [...h.fake.messages(channel), ...more]);
  }
  const historyReads = (channel: string) =>
    h.fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channel}/messages`);

  it('pages back through a busy channel to find a digest, up to ten pages of 100', async () => {
    h = await startHarness();
    const { text, other } = h.fake.channels;
    const found = await h.adapter.post(ref(text), digest('d-busy'));
    chatter(text, 250);
    expect(await h.adapter.findDelivery(ref(text), 'd-busy')).toBe(found.messageIds[0]);
    const reads = historyReads(text);
    expect(reads.map((r) => r.query.get('before') ?? 'newest')).toEqual([
      'newest',
      expect.any(String),
      expect.any(String),
    ]);

    // Buried under 1,000 messages: ten pages read, then it is not found.
    await h.adapter.post(ref(other), digest('d-deep'));
    chatter(other, 1_000);
    expect(await h.adapter.findDelivery(ref(other), 'd-deep')).toBeNull();
    expect(historyReads(other)).toHaveLength(10);
  });

  it('stops paging at messages older than a week', async () => {
    // The fake's messages date from 2026-01-01; a week and more later, one page is read.
    h = await startHarness({ now: '2026-01-20T10:00:00Z' });
    const { text } = h.fake.channels;
    await h.adapter.post(ref(text), digest('d-old'));
    chatter(text, 150);
    expect(await h.adapter.findDelivery(ref(text), 'd-old')).toBeNull();
    expect(historyReads(text)).toHaveLength(1);
  });

  it('posts into a thread channel', async () => {
    h = await startHarness();
    const { thread } = h.fake.channels;
    const result = await h.adapter.post(ref(thread), digest('d-t'));
    expect(h.fake.messages(thread).map((m) => m.id)).toEqual(result.messageIds);
  });

  it('opens a thread per digest when digestAsThread is on; later parts go into it', async () => {
    h = await startHarness({ discord: { digestAsThread: true } });
    const { text } = h.fake.channels;
    const first = await h.adapter.post(ref(text), digest('d-p1'));
    const [thread] = h.fake.threadsOf(text).filter((t) => t.id === first.messageIds[0]);
    expect(thread?.name).toBe('Paperboy digest 2025-12-12');
    const second = await h.adapter.post(ref(text), digest('d-p2', { part: 2 }));
    expect(h.fake.messages(thread?.id ?? '').map((m) => m.id)).toEqual(second.messageIds);
    expect(h.fake.messages(text)).toHaveLength(1);
    expect(await h.adapter.findDelivery(ref(text), 'd-p2')).toBe(second.messageIds[0]);
  });

  it('makes one forum post per digest and finds it again', async () => {
    h = await startHarness();
    const { forum } = h.fake.channels;
    const a = await h.adapter.post(ref(forum), digest('d-f1'));
    const b = await h.adapter.post(ref(forum), digest('d-f2', { date: '2025-12-13' }));
    const created = h.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${forum}/threads`,
    );
    expect(created).toHaveLength(2);
    expect(created[0]?.body.message.allowed_mentions).toEqual({ parse: [] });
    expect(created[0]?.body.message.nonce).toBeUndefined();
    expect(h.fake.threadsOf(forum).map((t) => t.name)).toEqual([
      'Paperboy digest 2025-12-12',
      'Paperboy digest 2025-12-13',
    ]);
    expect(await h.adapter.findDelivery(ref(forum), 'd-f2')).toBe(b.messageIds[0]);
    expect(await h.adapter.findDelivery(ref(forum), 'd-f1')).toBe(a.messageIds[0]);
  });

  it('crossposts in an announcement channel when configured', async () => {
    h = await startHarness({ discord: { crosspost: true } });
    const { announcement } = h.fake.channels;
    const result = await h.adapter.post(ref(announcement), digest('d-a'));
    await h.fake.waitFor(
      (r) =>
        r.path === `/channels/${announcement}/messages/${result.messageIds[0]}/crosspost` &&
        r.status === 200,
    );
  });

  it('waits out a 429 and retries', async () => {
    h = await startHarness();
    const { text } = h.fake.channels;
    h.fake.fail({
      method: 'POST',
      path: /^\/channels\/\d+\/messages$/,
      status: 429,
      retryAfter: 0.05,
    });
    const result = await h.adapter.post(ref(text), digest('d-429'));
    expect(posts(text).map((r) => r.status)).toEqual([429, 200]);
    expect(h.fake.messages(text).map((m) => m.id)).toEqual(result.messageIds);
    expect(h.logs.join('')).toContain('Discord rate limit');
  });

  it('a 400 Invalid Form Body (50035) is a permanent rejection: POST_REJECTED, not retried', async () => {
    h = await startHarness();
    const { text } = h.fake.channels;
    h.fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 400 });
    const error = await h.adapter.post(ref(text), digest('d-400')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'POST_REJECTED' });
    expect((error as Error).message).toMatch(/^Discord found the message invalid \(50035/);
    expect((error as Error).message).toContain('BASE_TYPE_MAX_LENGTH');
    expect(posts(text)).toHaveLength(1);
    expect((await h.bot.store.getChannel(ref(text)))?.failure ?? null).toBeNull();
  });

  it('a 403 marks the channel, is not retried, and does not stop other channels', async () => {
    h = await startHarness();
    const { text, other } = h.fake.channels;
    h.fake.fail({
      path: new RegExp(`^/channels/${other}/`),
      status: 403,
      times: Number.POSITIVE_INFINITY,
    });
    await expect(h.adapter.post(ref(other), digest('d-x'))).rejects.toMatchObject({
      code: 'CHANNEL_UNAVAILABLE',
    });
    expect(posts(other)).toHaveLength(1);
    expect((await h.bot.store.getChannel(ref(other)))?.failure?.reason).toMatch(/permission/);
    expect(h.logs.join('')).toContain('Discord channel refuses the bot');
    // The refusal is shown by /papers subscriptions in that channel.
    const shown = await answerTo(
      h.fake,
      sendCommand(h.fake, 'subscriptions', {}, { channelId: other }),
    );
    expect(shown.message.embeds[0].description).toMatch(/Posting here fails since .*permission/);

    await h.adapter.post(ref(text), digest('d-y'));
    expect(h.fake.messages(text)).toHaveLength(1);
    expect((await h.bot.store.getChannel(ref(text)))?.failure ?? null).toBeNull();
  });

  it('a deleted channel is marked, and the mark clears once posting works again', async () => {
    h = await startHarness();
    const ghost = '100000000000000099';
    await expect(h.adapter.post(ref(ghost), digest('d-g'))).rejects.toMatchObject({
      code: 'CHANNEL_UNAVAILABLE',
    });
    expect((await h.bot.store.getChannel(ref(ghost)))?.failure?.reason).toBe(
      'the channel no longer exists',
    );

    const { text } = h.fake.channels;
    await h.bot.store.setChannelFailure(ref(text), 'missing access to the channel', h.clock.now());
    await h.adapter.post(ref(text), digest('d-ok'));
    expect((await h.bot.store.getChannel(ref(text)))?.failure).toBeNull();
  });

  it('a persistent 500 is retried by discord.js, then POST_FAILED without marking the channel', async () => {
    h = await startHarness();
    const { text } = h.fake.channels;
    h.fake.fail({
      method: 'POST',
      path: /^\/channels\/\d+\/messages$/,
      status: 500,
      times: Number.POSITIVE_INFINITY,
    });
    await expect(h.adapter.post(ref(text), digest('d-500'))).rejects.toMatchObject({
      code: 'POST_FAILED',
    });
    expect(posts(text).length).toBeGreaterThan(1);
    expect((await h.bot.store.getChannel(ref(text)))?.failure ?? null).toBeNull();
  });

  it('a paper titled with @everyone and <@&123> is posted with mentions disabled', async () => {
    h = await startHarness();
    const { text } = h.fake.channels;
    await h.adapter.post(
      ref(text),
      digest('d-m', { sections: [{ topic: null, items: [{ paper: hostilePaper() }] }] }),
    );
    const body = posts(text)[0]?.body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBeUndefined();
    const text_ = JSON.stringify(body.embeds);
    expect(text_).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(text_).not.toContain('<@&123>');
  });
});
