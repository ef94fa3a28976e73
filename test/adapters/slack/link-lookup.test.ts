import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { RequestGate } from '../../../src/core/sources/http.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture, testHttp, testTime } from '../../live/harness.js';
import { deliverEvent, eventCallback } from './events.js';
import { failOnUnhandledRejections, memoryLogger, testConfig } from './harness.js';
import { createTestBot, freshChannel, type SlackBotUnderTest, startSlackBot } from './slack-bot.js';

const API = '/api/query';

describe('Slack: a link to a paper not stored is looked up on arXiv once (real Bolt)', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let feeds: FeedServer;
  let shared: { bot: Bot; config: Config };
  let slack: SlackBotUnderTest;
  const log = memoryLogger();
  const time = testTime('2025-12-12T12:00:00Z');

  beforeAll(async () => {
    fake = await startFakeSlack({ pingIntervalMs: 500 });
    feeds = await new FeedServer(() => time.clock.now().getTime()).start();
    const base = testConfig();
    const apiBaseUrl = `${feeds.baseUrl}${API}`;
    shared = await createTestBot(log.logger, {
      config: {
        ...base,
        sources: { ...base.sources, arxiv: { ...base.sources.arxiv, apiBaseUrl } },
      },
      clock: time.clock,
      arxivLookup: {
        http: testHttp(time),
        gate: new RequestGate(3_000, time.clock, time.sleep),
      },
    });
    slack = await startSlackBot('http', fake, shared, log.logger);
  });
  afterAll(async () => {
    await slack.stop();
    await shared.bot.close();
    await feeds.close();
    await fake.close();
  });

  async function shareLinks(urls: string[]): Promise<Record<string, unknown>> {
    const channel = freshChannel();
    const ts = `17655402${String(urls.length).padStart(2, '0')}.${channel.slice(2)}00`;
    await deliverEvent(
      'http',
      fake,
      slack,
      eventCallback(fake, {
        type: 'link_shared',
        user: 'UASKER',
        channel,
        message_ts: ts,
        links: urls.map((url) => ({ domain: new URL(url).hostname, url })),
        event_ts: ts,
      }),
    );
    const call = await fake.waitFor(
      () => fake.callsOf('chat.unfurl').find((c) => c.params.channel === channel),
      5000,
      'chat.unfurl',
    );
    const raw = call.params.unfurls;
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
  }

  it('unfurls an unknown paper after one API request; a second link makes none', async () => {
    feeds.reset(API, { body: fixture('arxiv-api-id-list.xml') });
    const link = 'https://arxiv.org/abs/1706.03762v7';
    const unfurls = await shareLinks([link]);
    expect(feeds.requests(API)).toHaveLength(1);
    expect(new URL(feeds.requests(API)[0]!.path, feeds.baseUrl).searchParams.get('id_list')).toBe(
      '1706.03762',
    );
    const card = JSON.stringify(unfurls[link]);
    expect(card).toContain('Attention Is All You Need');
    expect(card).toContain('2017-06-12');
    expect(card).toContain('The dominant sequence transduction models');
    const again = 'https://huggingface.co/papers/1706.03762';
    expect(JSON.stringify((await shareLinks([again]))[again])).toContain(
      'Attention Is All You Need',
    );
    expect(feeds.requests(API)).toHaveLength(1);
  });

  it('an id arXiv does not know gets no card and is not asked about twice', async () => {
    feeds.reset(API, { body: fixture('arxiv-api-id-list-empty.xml') });
    const before = feeds.requests(API).length;
    const unknown = 'https://arxiv.org/abs/2501.99999';
    const known = 'https://arxiv.org/abs/1706.03762';
    // The known paper's card comes after the unknown one's lookup: the unfurl marks the end.
    expect(Object.keys(await shareLinks([unknown, known]))).toEqual([known]);
    expect(feeds.requests(API)).toHaveLength(before + 1);
    expect(Object.keys(await shareLinks([unknown, known]))).toEqual([known]);
    expect(feeds.requests(API)).toHaveLength(before + 1);
  });

  it('a failed lookup gives no card and a log line, and the handler carries on', async () => {
    feeds.reset(API, { status: 503, body: 'busy' });
    const failing = 'https://arxiv.org/abs/2502.00001';
    const known = 'https://arxiv.org/abs/1706.03762';
    expect(Object.keys(await shareLinks([failing, known]))).toEqual([known]);
    const warning = log.lines().find((l) => l.msg === 'arXiv lookup of a linked paper failed');
    expect(warning?.arxivId).toBe('2502.00001');
  });
});
