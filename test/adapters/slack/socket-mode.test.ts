import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { slashCommandPayload } from '../../fakes/slack/signed-request.js';
import { failOnUnhandledRejections, memoryLogger } from './harness.js';
import { addExtraPapers } from './records.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  buttonValue,
  createTestBot,
  freshChannel,
  type SlackBotUnderTest,
  startSlackBot,
  textOf,
} from './slack-bot.js';

describe('Slack in Socket Mode (real Bolt SocketModeReceiver, fake Slack)', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let shared: { bot: Bot; config: Config };
  let slack: SlackBotUnderTest;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    fake = await startFakeSlack({ pingIntervalMs: 500 });
    shared = await createTestBot(memoryLogger().logger);
    await addExtraPapers(shared.bot);
  });

  afterAll(async () => {
    await shared.bot.close();
    await fake.close();
  });

  beforeEach(async () => {
    log = memoryLogger();
    slack = await startSlackBot('socket', fake, shared, log.logger);
  });

  afterEach(async () => {
    await slack.stop();
  });

  it('connects through apps.connections.open at SLACK_API_URL with the app token (wins over the signing secret)', async () => {
    const open = fake.callsOf('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
    expect(open.at(-1)?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    // The harness sets a signing secret too: Socket Mode wins and no HTTP port opens.
    expect(fake.socket.connections).toBe(1);
    expect(slack.adapter.mode).toBe('socket');
    expect(slack.adapter.port).toBeNull();
  });

  it('answers show with an arXiv link and escaped text', async () => {
    const link = await slack.command(
      'show <https://arxiv.org/abs/2501.00001|arxiv.org/abs/2501.00001>',
    );
    expect(textOf(link.body)).toContain('Learning &lt;Tags&gt; &amp; Things for Slack Escaping');
    const escaped = await slack.command('show Learning &lt;Tags&gt;');
    expect(textOf(escaped.body)).toContain('Learning &lt;Tags&gt; &amp; Things');
  });

  it('answers the same envelope once however often it is delivered, acking every copy', async () => {
    const channelId = freshChannel();
    const payload = slashCommandPayload({
      text: 'subscribe robotics',
      channelId,
      responseUrl: fake.responseUrl('dup'),
    });
    fake.socket.send('slash_commands', payload, 'env-dup');
    fake.socket.send('slash_commands', payload, 'env-dup');
    await fake.waitFor(() => fake.socket.acksFor('env-dup').length === 2, 5000, 'two acks');
    await fake.waitFor(() => fake.responsesTo('dup')[0], 5000, 'the answer');
    // A third, later copy (e.g. after a reconnect) is acked and still not answered.
    fake.socket.send('slash_commands', payload, 'env-dup');
    await fake.waitFor(() => fake.socket.acksFor('env-dup').length === 3, 5000, 'third ack');
    await slack.command('subscriptions');
    expect(fake.responsesTo('dup')).toHaveLength(1);
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: channelId };
    expect(slack.bot.store.listSubscriptions(ref).map((s) => s.topic)).toEqual(['robotics']);
  });

  it('answers an envelope redelivered after a reconnect once', async () => {
    const channelId = freshChannel();
    const payload = slashCommandPayload({
      text: 'subscribe diffusion',
      channelId,
      responseUrl: fake.responseUrl('redelivered'),
    });
    fake.socket.send('slash_commands', payload, 'env-re');
    await fake.waitFor(() => fake.responsesTo('redelivered')[0], 5000, 'the first answer');
    const opened = fake.callsOf('apps.connections.open').length;
    // Slack recycles the connection; the client opens a new one and Slack sends the envelope again.
    fake.socket.dropConnections();
    await fake.waitFor(
      () => fake.callsOf('apps.connections.open').length > opened && fake.socket.connections === 1,
      5000,
      'the reconnect',
    );
    fake.socket.send('slash_commands', payload, 'env-re');
    await fake.waitFor(() => fake.socket.acksFor('env-re').length === 2, 5000, 'the second ack');
    await slack.command('subscriptions', { channelId });
    expect(fake.responsesTo('redelivered')).toHaveLength(1);
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: channelId };
    expect(slack.bot.store.listSubscriptions(ref).map((s) => s.topic)).toEqual(['diffusion']);
  });

  it('pages with buttons sent as interactive envelopes, also after a restart', async () => {
    const first = await slack.command('search language models');
    const next = buttonValue(first.body, 'papers_page_next');
    expect(next).toBeDefined();
    const second = await slack.press('papers_page_next', next as string);
    expect(textOf(second.body)).toContain('Page 2 of');
    const opened = fake.callsOf('apps.connections.open').length;
    await slack.restart();
    expect(fake.callsOf('apps.connections.open')).toHaveLength(opened + 1);
    const again = await slack.press('papers_page_next', next as string);
    expect(textOf(again.body)).toBe(textOf(second.body));
  });

  it('never logs the app or bot token', async () => {
    await slack.command('search robotics');
    expect(log.text()).not.toContain(APP_TOKEN);
    expect(log.text()).not.toContain(BOT_TOKEN);
  });
});
