import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { signedPost, slackSignature, slashCommandBody } from '../../fakes/slack/signed-request.js';
import { failOnUnhandledRejections, memoryLogger, slackBotPerTest, testConfig } from './harness.js';
import {
  BOT_TOKEN,
  buttonValue,
  createTestBot,
  freshChannel,
  SIGNING_SECRET,
  type SlackBotUnderTest,
  startSlackBot,
  textOf,
} from './slack-bot.js';

describe('Slack over HTTP (real Bolt HTTPReceiver, fake Slack)', () => {
  failOnUnhandledRejections();
  const suite = slackBotPerTest('http');

  it('answers show with an arXiv link as Slack sends it', async () => {
    const { body } = await suite.slack.command('show <https://arxiv.org/abs/2501.00001>');
    expect(body.response_type).toBe('in_channel');
    expect(textOf(body)).toContain('Learning &lt;Tags&gt; &amp; Things for Slack Escaping');
  });

  it('answers show with Slack-escaped &lt; &gt; &amp; text', async () => {
    const { body } = await suite.slack.command('show Learning &lt;Tags&gt; &amp; Things');
    expect(textOf(body)).toContain(
      '<https://arxiv.org/abs/2501.00001|Learning &lt;Tags&gt; &amp; Things for Slack Escaping>',
    );
  });

  it('renders a title holding <!channel>, <@U123> and & escaped', async () => {
    const { body } = await suite.slack.command('show 2501.00002');
    const text = textOf(body);
    expect(text).toContain('Attention &lt;!channel&gt; and &lt;@U123&gt; &amp; friends');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
  });

  it('answers bad text with the specific message and the usage line, ephemerally', async () => {
    const { body } = await suite.slack.command('search robotics since:yesterday');
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toMatch(/since/);
    expect(textOf(body)).toContain('Usage: `/papers search');
    const unknown = await suite.slack.command('frobnicate now');
    expect(textOf(unknown.body)).toContain('frobnicate');
  });

  it.each([
    ['a bad signature', { signature: 'v0=deadbeef' }],
    ['the wrong secret', { signingSecret: 'not-the-secret' }],
    ['a 6-minute-old timestamp', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('rejects %s with 401 and changes nothing', async (_name, tweak) => {
    const channelId = freshChannel();
    const forged = `forged-${channelId}`;
    const body = slashCommandBody({
      text: 'subscribe robotics',
      channelId,
      responseUrl: suite.fake.responseUrl(forged),
    });
    const res = await signedPost({
      url: suite.slack.eventsUrl,
      signingSecret: SIGNING_SECRET,
      body,
      ...tweak,
    });
    expect(res.status).toBe(401);
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: channelId };
    expect(await suite.slack.bot.store.listSubscriptions(ref)).toEqual([]);
    expect(await suite.slack.bot.store.getChannel(ref)).toBeNull();
    // The same command correctly signed works; the forged one was never answered.
    await suite.slack.command('subscribe robotics', { channelId });
    expect((await suite.slack.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual([
      'robotics',
    ]);
    expect(suite.fake.responsesTo(forged)).toEqual([]);
  });

  it('signs like Slack: the helper signature is accepted byte for byte', async () => {
    const body = slashCommandBody({ text: 'help', responseUrl: suite.fake.responseUrl('helper') });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await signedPost({
      url: suite.slack.eventsUrl,
      signingSecret: SIGNING_SECRET,
      body,
      timestamp,
      signature: slackSignature(SIGNING_SECRET, timestamp, body),
    });
    expect(res.status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.responsesTo('helper')[0]);
  });

  it('pages search results with buttons, also after a restart', async () => {
    const first = await suite.slack.command('search language models');
    expect(first.body.response_type).toBe('ephemeral');
    const next = buttonValue(first.body, 'papers_page_next');
    expect(next, 'search has a second page').toBeDefined();
    const second = await suite.slack.press('papers_page_next', next as string);
    expect(second.body.replace_original).toBe(true);
    expect(textOf(second.body)).toContain('Page 2 of');
    expect(buttonValue(second.body, 'papers_page_prev')).toBeDefined();

    await suite.slack.restart();
    const again = await suite.slack.press('papers_page_next', next as string);
    expect(textOf(again.body)).toContain('Page 2 of');
    expect(textOf(again.body)).toBe(textOf(second.body));
  });

  it('shares search results to the channel', async () => {
    const first = await suite.slack.command('search zebrafish locomotion');
    const share = buttonValue(first.body, 'papers_share');
    expect(share).toBeDefined();
    const shared = await suite.slack.press('papers_share', share as string);
    expect(shared.body.response_type).toBe('in_channel');
    expect(textOf(shared.body)).toContain('Zebrafish Locomotion Benchmark');
    expect(buttonValue(shared.body, 'papers_share')).toBeUndefined();
  });

  it('offers ambiguous show candidates as buttons that work, also after a restart', async () => {
    const { body } = await suite.slack.command('show Zebrafish Locomotion Benchmark');
    const choose = buttonValue(body, 'papers_choose_1');
    expect(choose, 'show answered with a choice').toBeDefined();
    const chosen = await suite.slack.press('papers_choose_1', choose as string);
    expect(chosen.body.response_type).toBe('in_channel');
    expect(textOf(chosen.body)).toMatch(/Zebrafish Locomotion Benchmark (One|Two|Three)/);
    await suite.slack.restart();
    const again = await suite.slack.press('papers_choose_1', choose as string);
    expect(textOf(again.body)).toBe(textOf(chosen.body));
  });

  it('answers an unknown button value plainly', async () => {
    const { body } = await suite.slack.press('papers_page_next', 'not-json');
    expect(textOf(body)).toContain('expired');
  });

  it('answers a parked button value whose store read fails with the store error, logged', async () => {
    const store = suite.shared.bot.store as unknown as Record<string, unknown>;
    const getState = store.getState;
    store.getState = async () => {
      throw new BetterSqlite3.SqliteError('disk I/O error', 'SQLITE_IOERR');
    };
    try {
      const { body } = await suite.slack.press('papers_page_next', 's:parkedkey');
      expect(body.replace_original).toBe(false);
      expect(textOf(body)).toContain('The database could not complete the operation');
      expect(suite.log.text()).toContain('Slack answer failed');
      expect(suite.log.text()).toContain('STORE_FAILED');
      expect(suite.log.text()).toContain('SQLITE_IOERR');
    } finally {
      store.getState = getState;
    }
  });

  it('never logs the tokens or the signing secret', async () => {
    await suite.slack.command('search robotics');
    await suite.slack.command('subscribe robotics');
    expect(suite.log.text()).not.toContain(BOT_TOKEN);
    expect(suite.log.text()).not.toContain(SIGNING_SECRET);
  });
});

describe('Slack manage permission', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let shared: { bot: Bot; config: Config };
  let slack: SlackBotUnderTest;

  beforeAll(async () => {
    fake = await startFakeSlack();
    const config = testConfig({ manage: 'admins', adminUserIds: ['UADMIN'] });
    shared = await createTestBot(memoryLogger().logger, { config });
  });

  afterAll(async () => {
    await shared.bot.close();
    await fake.close();
  });

  beforeEach(async () => {
    slack = await startSlackBot('http', fake, shared, memoryLogger().logger);
  });

  afterEach(async () => {
    await slack.stop();
  });

  const refOf = (channel: string) => ({ platform: 'slack' as const, workspace: 'T0001', channel });

  it('refuses a member who is not an admin, and says who may', async () => {
    const channelId = freshChannel();
    const ref = refOf(channelId);
    const { body } = await slack.command('subscribe robotics', { userId: 'UMEMBER', channelId });
    expect(textOf(body)).toContain('workspace admin');
    expect(await slack.bot.store.listSubscriptions(ref)).toEqual([]);
    // Reading is open to everyone.
    const read = await slack.command('subscriptions', { userId: 'UMEMBER', channelId });
    expect(textOf(read.body)).not.toContain('workspace admin permission');
  });

  it('lets a listed admin and a workspace admin manage the channel', async () => {
    const channelId = freshChannel();
    const ref = refOf(channelId);
    await slack.command('subscribe robotics', { userId: 'UADMIN', channelId });
    fake.admins.add('UWSADMIN');
    await slack.command('subscribe language models', { userId: 'UWSADMIN', channelId });
    expect((await slack.bot.store.listSubscriptions(ref)).map((s) => s.topic).sort()).toEqual([
      'language models',
      'robotics',
    ]);
    // Listed admins are never looked up; others are asked about once.
    const looked = fake.callsOf('users.info').map((c) => c.params.user);
    expect(looked).toContain('UWSADMIN');
    expect(looked).not.toContain('UADMIN');
  });
});
