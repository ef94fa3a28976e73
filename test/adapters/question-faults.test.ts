import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { messagePayload, nextSnowflake, userPayload } from '../fakes/discord/payloads.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/fake-slack.js';
import { recordPostedDigest } from '../support/posted-digest.js';
import { failOnCrash, type Harness, startHarness } from './discord/harness.js';
import { deliverEvent, eventCallback } from './slack/events.js';
import { memoryLogger } from './slack/harness.js';
import {
  createTestBot,
  freshChannel,
  type SlackBotUnderTest,
  startSlackBot,
  textOf,
} from './slack/slack-bot.js';

failOnCrash();

const FAULT = "Couldn't answer right now (INTERNAL)";

/** Makes one method of `target` throw, as a failing database would, until the test ends. */
function breakMethod<T extends object>(target: T, name: keyof T, undo: Array<() => void>): void {
  const original = target[name];
  Object.defineProperty(target, name, {
    configurable: true,
    value: () => {
      throw new Error('SQLITE_IOERR: disk I/O error');
    },
  });
  undo.push(() => Object.defineProperty(target, name, { configurable: true, value: original }));
}

describe('Slack: a fault while answering an app_mention is said, not swallowed (real Bolt)', () => {
  let fake: FakeSlack;
  let shared: { bot: Bot; config: Config };
  let slack: SlackBotUnderTest;
  let log: ReturnType<typeof memoryLogger>;
  const undo: Array<() => void> = [];
  beforeAll(async () => {
    fake = await startFakeSlack();
    log = memoryLogger();
    shared = await createTestBot(log.logger);
    slack = await startSlackBot('http', fake, shared, log.logger);
  });
  afterEach(() => {
    for (const u of undo.splice(0)) u();
  });
  afterAll(async () => {
    await slack?.stop();
    await shared?.bot.close();
    await fake?.close();
  });

  async function mention(channel: string, threadTs?: string): Promise<string> {
    const ts = `17655400${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}.000200`;
    await deliverEvent(
      'http',
      fake,
      slack,
      eventCallback(fake, {
        type: 'app_mention',
        user: 'UASKER',
        text: `<@${fake.botUserId}> how are the skills learned?`,
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        channel,
        event_ts: ts,
      }),
    );
    const answer = await fake.waitFor(
      () => fake.messages.find((m) => m.channel === channel),
      5000,
      'the answer',
    );
    return textOf(answer as unknown as Record<string, unknown>);
  }

  it('the store throws while finding the digest of the thread: one fault line with its code', async () => {
    const channel = freshChannel();
    const ref: ChannelRef = { platform: 'slack', workspace: fake.teamId, channel };
    await recordPostedDigest(shared.bot.store, ref, [], '1765530000.000100');
    breakMethod(shared.bot.store, 'digestPaperIdsForMessage', undo);
    const text = await mention(channel, '1765530000.000100');
    expect(text).toContain(FAULT);
    expect(text).not.toMatch(/no paper/i);
    expect(log.text()).toContain('SQLITE_IOERR');
  });

  it('search throws: the same fault line, never "no paper matches"', async () => {
    const channel = freshChannel();
    breakMethod(shared.bot.search, 'search', undo);
    const text = await mention(channel);
    expect(text).toContain(FAULT);
    expect(text).not.toMatch(/no paper/i);
  });
});

describe('Discord: a fault while answering a mention is said, not swallowed (real discord.js)', () => {
  let h: Harness;
  const undo: Array<() => void> = [];
  const asker = userPayload('300000000000000001', 'reader');
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    for (const u of undo.splice(0)) u();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function mention(channelId: string, content: string): Promise<string> {
    const id = nextSnowflake();
    h.fake.dispatch('MESSAGE_CREATE', {
      ...messagePayload(id, channelId, asker, { content: `<@${h.fake.bot.id}> ${content}` }),
      guild_id: h.fake.guildId,
      mentions: [h.fake.bot],
    });
    const post = await h.fake.waitFor(
      (r) =>
        r.method === 'POST' &&
        r.path === `/channels/${channelId}/messages` &&
        (r.body as { message_reference?: { message_id: string } }).message_reference?.message_id ===
          id,
    );
    return JSON.stringify(post.body);
  }

  it('the store throws in a digest thread: one fault line with its code', async () => {
    const { text, thread } = h.fake.channels;
    const ref: ChannelRef = { platform: 'discord', workspace: h.fake.guildId, channel: text };
    await recordPostedDigest(h.bot.store, ref, [], thread);
    breakMethod(h.bot.store, 'digestPaperIdsForMessage', undo);
    const body = await mention(thread, 'how are the skills learned?');
    expect(body).toContain(FAULT);
    expect(body).not.toMatch(/no paper/i);
    expect(h.logs.join('\n')).toContain('SQLITE_IOERR');
  });

  it('search throws: the same fault line', async () => {
    breakMethod(h.bot.search, 'search', undo);
    const body = await mention(h.fake.channels.text, 'which method needs the least data?');
    expect(body).toContain(FAULT);
    expect(body).not.toMatch(/no paper/i);
  });

  it('the store throws while making a link card: the same fault line', async () => {
    breakMethod(h.bot.store, 'getPaper', undo);
    const body = await mention(h.fake.channels.text, 'https://arxiv.org/abs/2410.14735');
    expect(body).toContain(FAULT);
  });
});
