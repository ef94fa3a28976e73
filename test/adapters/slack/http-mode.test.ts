import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { signedPost, slackSignature, slashCommandBody } from '../../fakes/slack/signed-request.js';
import { failOnUnhandledRejections, memoryLogger, testConfig } from './harness.js';
import { addExtraPapers } from './records.js';
import {
  BOT_TOKEN,
  buttonValue,
  SIGNING_SECRET,
  type SlackBotUnderTest,
  startSlackBot,
  textOf,
} from './slack-bot.js';

describe('Slack over HTTP (real Bolt HTTPReceiver, fake Slack)', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let slack: SlackBotUnderTest;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    fake = await startFakeSlack();
    log = memoryLogger();
    slack = await startSlackBot('http', fake, log.logger);
    await addExtraPapers(slack.bot);
  });

  afterEach(async () => {
    await slack.stop();
    await fake.close();
  });

  it('answers show with an arXiv link as Slack sends it', async () => {
    const { body } = await slack.command('show <https://arxiv.org/abs/2501.00001>');
    expect(body.response_type).toBe('in_channel');
    expect(textOf(body)).toContain('Learning &lt;Tags&gt; &amp; Things for Slack Escaping');
  });

  it('answers show with Slack-escaped &lt; &gt; &amp; text', async () => {
    const { body } = await slack.command('show Learning &lt;Tags&gt; &amp; Things');
    expect(textOf(body)).toContain(
      '<https://arxiv.org/abs/2501.00001|Learning &lt;Tags&gt; &amp; Things for Slack Escaping>',
    );
  });

  it('renders a title holding <!channel>, <@U123> and & escaped', async () => {
    const { body } = await slack.command('show 2501.00002');
    const text = textOf(body);
    expect(text).toContain('Attention &lt;!channel&gt; and &lt;@U123&gt; &amp; friends');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
  });

  it('answers bad text with the specific message and the usage line, ephemerally', async () => {
    const { body } = await slack.command('search robotics since:yesterday');
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toMatch(/since/);
    expect(textOf(body)).toContain('Usage: `/papers search');
    const unknown = await slack.command('frobnicate now');
    expect(textOf(unknown.body)).toContain('frobnicate');
  });

  it.each([
    ['a bad signature', { signature: 'v0=deadbeef' }],
    ['the wrong secret', { signingSecret: 'not-the-secret' }],
    ['a 6-minute-old timestamp', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('rejects %s with 401 and changes nothing', async (_name, tweak) => {
    const body = slashCommandBody({
      text: 'subscribe robotics',
      responseUrl: fake.responseUrl('forged'),
    });
    const res = await signedPost({
      url: slack.eventsUrl,
      signingSecret: SIGNING_SECRET,
      body,
      ...tweak,
    });
    expect(res.status).toBe(401);
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: 'C0001' };
    expect(slack.bot.store.listSubscriptions(ref)).toEqual([]);
    // A correctly signed request still works, and the forged one was never answered.
    await slack.command('subscriptions');
    expect(fake.responsesTo('forged')).toEqual([]);
    expect(slack.bot.store.listSubscriptions(ref)).toEqual([]);
  });

  it('signs like Slack: the helper signature is accepted byte for byte', async () => {
    const body = slashCommandBody({ text: 'help', responseUrl: fake.responseUrl('helper') });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await signedPost({
      url: slack.eventsUrl,
      signingSecret: SIGNING_SECRET,
      body,
      timestamp,
      signature: slackSignature(SIGNING_SECRET, timestamp, body),
    });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.responsesTo('helper')[0]);
  });

  it('pages search results with buttons, also after a restart', async () => {
    const first = await slack.command('search language models');
    expect(first.body.response_type).toBe('ephemeral');
    const next = buttonValue(first.body, 'papers_page_next');
    expect(next, 'search has a second page').toBeDefined();
    const second = await slack.press('papers_page_next', next as string);
    expect(second.body.replace_original).toBe(true);
    expect(textOf(second.body)).toContain('Page 2 of');
    expect(buttonValue(second.body, 'papers_page_prev')).toBeDefined();

    await slack.restart();
    const again = await slack.press('papers_page_next', next as string);
    expect(textOf(again.body)).toContain('Page 2 of');
    expect(textOf(again.body)).toBe(textOf(second.body));
  });

  it('shares search results to the channel', async () => {
    const first = await slack.command('search zebrafish locomotion');
    const share = buttonValue(first.body, 'papers_share');
    expect(share).toBeDefined();
    const shared = await slack.press('papers_share', share as string);
    expect(shared.body.response_type).toBe('in_channel');
    expect(textOf(shared.body)).toContain('Zebrafish Locomotion Benchmark');
    expect(buttonValue(shared.body, 'papers_share')).toBeUndefined();
  });

  it('offers ambiguous show candidates as buttons that work, also after a restart', async () => {
    const { body } = await slack.command('show Zebrafish Locomotion Benchmark');
    const choose = buttonValue(body, 'papers_choose_1');
    expect(choose, 'show answered with a choice').toBeDefined();
    const chosen = await slack.press('papers_choose_1', choose as string);
    expect(chosen.body.response_type).toBe('in_channel');
    expect(textOf(chosen.body)).toMatch(/Zebrafish Locomotion Benchmark (One|Two|Three)/);
    await slack.restart();
    const again = await slack.press('papers_choose_1', choose as string);
    expect(textOf(again.body)).toBe(textOf(chosen.body));
  });

  it('answers an unknown button value plainly', async () => {
    const { body } = await slack.press('papers_page_next', 'not-json');
    expect(textOf(body)).toContain('expired');
  });

  it('never logs the tokens or the signing secret', async () => {
    await slack.command('search robotics');
    await slack.command('subscribe robotics');
    expect(log.text()).not.toContain(BOT_TOKEN);
    expect(log.text()).not.toContain(SIGNING_SECRET);
  });
});

describe('Slack manage permission', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let slack: SlackBotUnderTest;

  beforeEach(async () => {
    fake = await startFakeSlack();
    const config = testConfig({ manage: 'admins', adminUserIds: ['UADMIN'] });
    slack = await startSlackBot('http', fake, memoryLogger().logger, { config });
  });

  afterEach(async () => {
    await slack.stop();
    await fake.close();
  });

  const ref = { platform: 'slack' as const, workspace: 'T0001', channel: 'C0001' };

  it('refuses a member who is not an admin, and says who may', async () => {
    const { body } = await slack.command('subscribe robotics', { userId: 'UMEMBER' });
    expect(textOf(body)).toContain('workspace admin');
    expect(slack.bot.store.listSubscriptions(ref)).toEqual([]);
    // Reading is open to everyone.
    const read = await slack.command('subscriptions', { userId: 'UMEMBER' });
    expect(textOf(read.body)).not.toContain('workspace admin permission');
  });

  it('lets a listed admin and a workspace admin manage the channel', async () => {
    await slack.command('subscribe robotics', { userId: 'UADMIN' });
    fake.admins.add('UWSADMIN');
    await slack.command('subscribe language models', { userId: 'UWSADMIN' });
    expect(
      slack.bot.store
        .listSubscriptions(ref)
        .map((s) => s.topic)
        .sort(),
    ).toEqual(['language models', 'robotics']);
    expect(fake.callsOf('users.info').map((c) => c.params.user)).toEqual(['UWSADMIN']);
  });
});
