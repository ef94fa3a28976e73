import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { slashCommandPayload } from '../../fakes/slack/signed-request.js';
import { failOnUnhandledRejections, memoryLogger } from './harness.js';
import { addExtraPapers } from './records.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  buttonValue,
  type SlackBotUnderTest,
  startSlackBot,
  textOf,
} from './slack-bot.js';

describe('Slack in Socket Mode (real Bolt SocketModeReceiver, fake Slack)', () => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let slack: SlackBotUnderTest;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    fake = await startFakeSlack({ pingIntervalMs: 500 });
    log = memoryLogger();
    slack = await startSlackBot('socket', fake, log.logger);
    await addExtraPapers(slack.bot);
  });

  afterEach(async () => {
    await slack.stop();
    await fake.close();
  });

  it('connects through apps.connections.open on the configured API URL with the app token', async () => {
    const open = fake.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
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
    const payload = slashCommandPayload({
      text: 'subscribe robotics',
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
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: 'C0001' };
    expect(slack.bot.store.listSubscriptions(ref).map((s) => s.topic)).toEqual(['robotics']);
  });

  it('pages with buttons sent as interactive envelopes, also after a restart', async () => {
    const first = await slack.command('search language models');
    const next = buttonValue(first.body, 'papers_page_next');
    expect(next).toBeDefined();
    const second = await slack.press('papers_page_next', next as string);
    expect(textOf(second.body)).toContain('Page 2 of');
    await slack.restart();
    expect(fake.callsOf('apps.connections.open')).toHaveLength(2);
    const again = await slack.press('papers_page_next', next as string);
    expect(textOf(again.body)).toBe(textOf(second.body));
  });

  it('never logs the app or bot token', async () => {
    await slack.command('search robotics');
    expect(log.text()).not.toContain(APP_TOKEN);
    expect(log.text()).not.toContain(BOT_TOKEN);
  });
});
