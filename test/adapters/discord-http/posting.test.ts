import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../../src/core/errors.js';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { digestReply as digest } from '../discord/fixtures.js';
import { failOnCrash } from '../discord/harness.js';
import { type HttpHarness, startHttpHarness } from './harness.js';

failOnCrash();

describe('digests over REST in HTTP interactions mode (no gateway connection)', () => {
  let h: HttpHarness;
  const ref = (channel: string): ChannelRef => ({
    platform: 'discord',
    workspace: h.fake.guildId,
    channel,
  });

  beforeAll(async () => {
    h = await startHttpHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('never opens a gateway session', () => {
    expect(h.fake.identifies).toBe(0);
    expect(h.fake.requests.some((r) => r.path === '/gateway/bot')).toBe(false);
  });

  it('posts a digest to a text channel with the bot token, and finds its delivery again', async () => {
    const { text } = h.fake.channels;
    const result = await h.adapter.post(ref(text), digest('d-http-1'));
    expect(h.fake.messages(text).map((m) => m.id)).toEqual(result.messageIds);
    const post = h.fake.requests.find(
      (r) => r.method === 'POST' && r.path === `/channels/${text}/messages`,
    );
    expect(post?.hasAuthorization).toBe(true);
    expect(post?.body.allowed_mentions).toEqual({ parse: [] });
    expect(post?.body.embeds[0].footer.text).toContain('delivery d-http-1');
    expect(await h.adapter.findDelivery(ref(text), 'd-http-1')).toBe(result.messageIds[0]);
    expect(await h.adapter.findDelivery(ref(text), 'd-http-2')).toBeNull();
  });

  it('reconciles only the bot’s own messages (its id comes from /users/@me, not a gateway READY)', async () => {
    const { other } = h.fake.channels;
    const posted = await h.adapter.post(ref(other), digest('d-http-3'));
    // Someone else's message quoting the same footer must not count as our delivery.
    const [own] = h.fake.messages(other);
    h.fake.setMessages(other, [{ ...own, id: '1', author: { id: '42', username: 'mimic' } }]);
    expect(await h.adapter.findDelivery(ref(other), 'd-http-3')).toBeNull();
    h.fake.setMessages(other, [own as Record<string, unknown>]);
    expect(await h.adapter.findDelivery(ref(other), 'd-http-3')).toBe(posted.messageIds[0]);
  });

  it('posts into a forum as a new post', async () => {
    const { forum } = h.fake.channels;
    const result = await h.adapter.post(ref(forum), digest('d-http-f'));
    expect(h.fake.threadsOf(forum).map((t) => t.id)).toContain(result.messageIds[0]);
  });

  it('a channel that is gone is a CHANNEL_UNAVAILABLE refusal recorded on the channel', async () => {
    const gone = ref('100000000000000999');
    const failure = await h.adapter.post(gone, digest('d-gone')).catch((e: unknown) => e);
    expect(isPaperboyError(failure) && failure.code).toBe('CHANNEL_UNAVAILABLE');
    expect((await h.bot.store.getChannel(gone))?.failure?.reason).toMatch(/no longer exists/);
  });
});
