import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { record } from '../../commands/bot-fixture.js';
import { messagePayload, nextSnowflake, userPayload } from '../../fakes/discord/payloads.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture } from '../../live/harness.js';
import { recordPostedDigest } from '../../support/posted-digest.js';
import { failOnCrash, type Harness, startHarness } from './harness.js';

failOnCrash();

const asker = userPayload('300000000000000001', 'reader');
const API = '/api/query';

describe('Discord: a question mentioning the bot in a digest thread (real discord.js)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  /** The fake says the digest of `paperId` was posted in #papers and its thread started from it. */
  async function digestWithThread(paperId: string): Promise<string> {
    const ref: ChannelRef = {
      platform: 'discord',
      workspace: h.fake.guildId,
      channel: h.fake.channels.text,
    };
    // A thread started from a message has that message's id.
    await recordPostedDigest(h.bot.store, ref, [paperId], h.fake.channels.thread);
    return h.fake.channels.thread;
  }

  function ask(channelId: string, content: string, extra: Record<string, unknown> = {}) {
    const id = nextSnowflake();
    h.fake.dispatch('MESSAGE_CREATE', {
      ...messagePayload(id, channelId, asker, { content }),
      guild_id: h.fake.guildId,
      mentions: content.includes(`<@${h.fake.bot.id}>`) ? [h.fake.bot] : [],
      ...extra,
    });
    return id;
  }

  it("answers in the thread about that digest's paper, pinging no one", async () => {
    h = await startHarness();
    const paper = (await h.bot.search.search('SkillMimic basketball')).hits[0]?.paper;
    if (!paper) throw new Error('sample paper missing');
    const thread = await digestWithThread(paper.id);
    const id = ask(thread, `<@${h.fake.bot.id}> how are the skills learned?`);
    const post = await h.fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`,
    );
    const body = post.body as {
      embeds: Array<{ fields: Array<{ name: string; value: string }> }>;
      allowed_mentions: unknown;
      message_reference?: { message_id: string };
    };
    expect(body.message_reference?.message_id).toBe(id);
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const sources = body.embeds[0]?.fields.find((f) => f.name === 'Sources')?.value ?? '';
    expect(sources.split('\n')[0]).toContain('SkillMimic');
  });

  it("a reply to the bot's digest message is answered about that digest's paper", async () => {
    h = await startHarness();
    const question = 'how are the skills learned?';
    const paper = (await h.bot.search.search('SkillMimic basketball')).hits[0]?.paper;
    if (!paper) throw new Error('sample paper missing');
    const { text } = h.fake.channels;
    const ref: ChannelRef = { platform: 'discord', workspace: h.fake.guildId, channel: text };
    const digestMessage = nextSnowflake();
    await recordPostedDigest(h.bot.store, ref, [paper.id], digestMessage);
    const answerTo = async (extra: Record<string, unknown>) => {
      const id = ask(text, `<@${h.fake.bot.id}> ${question}`, extra);
      const post = await h.fake.waitFor(
        (r) =>
          r.method === 'POST' &&
          r.path === `/channels/${text}/messages` &&
          (r.body as { message_reference?: { message_id: string } }).message_reference
            ?.message_id === id,
      );
      const body = post.body as {
        embeds: Array<{ fields: Array<{ name: string; value: string }> }>;
      };
      return body.embeds[0]?.fields.find((f) => f.name === 'Sources')?.value.split('\n')[0] ?? '';
    };
    // Asked on its own, the archive's best source is another paper.
    expect(await answerTo({})).not.toContain('SkillMimic');
    const replied = await answerTo({
      type: 19,
      message_reference: { message_id: digestMessage, channel_id: text, guild_id: h.fake.guildId },
    });
    expect(replied).toContain('SkillMimic');
  });

  it('replies to a mention with an arXiv link with the paper card, "posted here on" included', async () => {
    h = await startHarness();
    await h.bot.store.upsertPapers(
      [
        record('2410.14735', 'Agent Skill Acquisition via CycleQD', {
          abstract:
            'CycleQD merges models to acquire agent skills. It alternates quality measures.',
          authors: ['So Kuroki', 'Taishi Nakamura'],
          authorCount: 2,
          publishedAt: '2024-10-16',
        }),
      ],
      h.clock.now(),
    );
    const other: ChannelRef = {
      platform: 'discord',
      workspace: h.fake.guildId,
      channel: h.fake.channels.other,
    };
    await h.bot.store.setSchedule(other, null, h.clock.now());
    await recordPostedDigest(
      h.bot.store,
      other,
      ['2410.14735'],
      nextSnowflake(),
      '2025-12-01T09:00:00.000Z',
    );
    const { text } = h.fake.channels;
    const id = ask(text, `<@${h.fake.bot.id}> look: https://arxiv.org/abs/2410.14735v2`);
    const post = await h.fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/channels/${text}/messages`,
    );
    const body = post.body as {
      embeds: Array<{ title: string; description: string }>;
      message_reference?: { message_id: string };
    };
    expect(body.message_reference?.message_id).toBe(id);
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]?.title).toBe('Agent Skill Acquisition via CycleQD');
    expect(body.embeds[0]?.description).toBe(
      'So Kuroki and Taishi Nakamura · 2024-10-16\nCycleQD merges models to acquire agent skills.\nPosted here on 2025-12-01.',
    );
  });

  it('three linked papers with page-long first sentences get one reply Discord accepts', async () => {
    h = await startHarness();
    // Some abstracts (often in maths) run for pages before their first full stop.
    const long = `${'we study folding of widgets under many constraints and show bounds '.repeat(28)}end.`;
    const ids = ['2501.10001', '2501.10002', '2501.10003'];
    await h.bot.store.upsertPapers(
      ids.map((id) =>
        record(id, `${'A rather long title '.repeat(12)}${id}`, {
          abstract: `${long} Second.`,
          authors: Array.from({ length: 40 }, (_, i) => `Author Number${i}`),
        }),
      ),
      h.clock.now(),
    );
    const { text } = h.fake.channels;
    const id = ask(
      text,
      `<@${h.fake.bot.id}> ${ids.map((x) => `https://arxiv.org/abs/${x}`).join(' ')}`,
    );
    const post = await h.fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/channels/${text}/messages`,
    );
    expect(post.status).toBe(200);
    const body = post.body as {
      embeds: Array<{ title: string; description: string }>;
      message_reference?: { message_id: string };
    };
    expect(body.message_reference?.message_id).toBe(id);
    const embeds = body.embeds;
    expect(embeds.map((e) => e.title.slice(-10))).toEqual(ids);
    for (const e of embeds) {
      expect(e.description).toContain('we study folding of widgets');
      expect(e.description).toMatch(/…/);
    }
  });

  it('looks a paper not stored up on arXiv once, replies with its card, and asks no more after', async () => {
    const feeds = await new FeedServer(() => Date.now()).start();
    try {
      feeds.answer(API, { body: fixture('arxiv-api-id-list.xml') });
      h = await startHarness({ arxivApiBaseUrl: `${feeds.baseUrl}${API}` });
      const { text } = h.fake.channels;
      const cardFor = async (content: string) => {
        const id = ask(text, content);
        const post = await h.fake.waitFor(
          (r) =>
            r.method === 'POST' &&
            r.path === `/channels/${text}/messages` &&
            (r.body as { message_reference?: { message_id: string } }).message_reference
              ?.message_id === id,
        );
        return (post.body as { embeds: Array<{ title: string; description: string }> }).embeds;
      };
      const link = `<@${h.fake.bot.id}> https://arxiv.org/abs/1706.03762v7`;
      const first = await cardFor(link);
      expect(feeds.requests(API)).toHaveLength(1);
      expect(new URL(feeds.requests(API)[0]!.path, feeds.baseUrl).searchParams.get('id_list')).toBe(
        '1706.03762',
      );
      expect(first).toHaveLength(1);
      expect(first[0]?.title).toBe('Attention Is All You Need');
      expect(first[0]?.description).toContain('2017-06-12');
      expect(first[0]?.description).toContain(
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration.',
      );
      const again = await cardFor(`<@${h.fake.bot.id}> https://huggingface.co/papers/1706.03762`);
      expect(again[0]?.title).toBe('Attention Is All You Need');
      expect(feeds.requests(API)).toHaveLength(1);
    } finally {
      await feeds.close();
    }
  });

  it('says why a link gets no card: arXiv does not know it, or the lookup failed', async () => {
    const feeds = await new FeedServer(() => Date.now()).start();
    try {
      feeds.answer(
        API,
        { body: fixture('arxiv-api-id-list-empty.xml') },
        { status: 500, body: 'down' },
      );
      h = await startHarness({ arxivApiBaseUrl: `${feeds.baseUrl}${API}` });
      const { text } = h.fake.channels;
      ask(
        text,
        `<@${h.fake.bot.id}> https://arxiv.org/abs/2501.99999 and https://arxiv.org/abs/2501.88888`,
      );
      const post = await h.fake.waitFor(
        (r) => r.method === 'POST' && r.path === `/channels/${text}/messages`,
      );
      const lines = JSON.stringify(post.body);
      expect(lines).toContain('arXiv has no paper with this id: https://arxiv.org/abs/2501.99999');
      expect(lines).toContain(
        'Could not look this paper up on arXiv just now: https://arxiv.org/abs/2501.88888',
      );
      expect(h.logs.join('')).toContain('arXiv lookup of a linked paper failed');
    } finally {
      await feeds.close();
    }
  });

  it('ignores messages that do not mention the bot', async () => {
    h = await startHarness();
    const thread = h.fake.channels.thread;
    ask(thread, 'how are the skills learned?');
    // A later mention is answered; the first message never was.
    ask(thread, `<@${h.fake.bot.id}> which crossover does CycleQD use?`);
    await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`);
    const posts = h.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`,
    );
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body)).toContain('CycleQD');
  });
});
