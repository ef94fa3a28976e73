import { describe, expect, it } from 'vitest';
import { slashCommandPayload } from '../../fakes/slack/signed-request.js';
import { failOnUnhandledRejections, slackBotPerTest } from './harness.js';
import { APP_TOKEN, BOT_TOKEN, buttonValue, freshChannel, textOf } from './slack-bot.js';

describe('Slack in Socket Mode (real Bolt SocketModeReceiver, fake Slack)', () => {
  failOnUnhandledRejections();
  const suite = slackBotPerTest('socket', { pingIntervalMs: 500 });

  it('connects through apps.connections.open at SLACK_API_URL with the app token (wins over the signing secret)', async () => {
    const open = suite.fake.callsOf('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
    expect(open.at(-1)?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    // The harness sets a signing secret too: Socket Mode wins and no HTTP port opens.
    expect(suite.fake.socket.connections).toBe(1);
    expect(suite.slack.adapter.mode).toBe('socket');
    expect(suite.slack.adapter.port).toBeNull();
  });

  it('answers show with an arXiv link and escaped text', async () => {
    const link = await suite.slack.command(
      'show <https://arxiv.org/abs/2501.00001|arxiv.org/abs/2501.00001>',
    );
    expect(textOf(link.body)).toContain('Learning &lt;Tags&gt; &amp; Things for Slack Escaping');
    const escaped = await suite.slack.command('show Learning &lt;Tags&gt;');
    expect(textOf(escaped.body)).toContain('Learning &lt;Tags&gt; &amp; Things');
  });

  it('answers the same envelope once however often it is delivered, acking every copy', async () => {
    const channelId = freshChannel();
    const payload = slashCommandPayload({
      text: 'subscribe robotics',
      channelId,
      responseUrl: suite.fake.responseUrl('dup'),
    });
    suite.fake.socket.send('slash_commands', payload, 'env-dup');
    suite.fake.socket.send('slash_commands', payload, 'env-dup');
    await suite.fake.waitFor(
      () => suite.fake.socket.acksFor('env-dup').length === 2,
      5000,
      'two acks',
    );
    await suite.fake.waitFor(() => suite.fake.responsesTo('dup')[0], 5000, 'the answer');
    // A third, later copy (e.g. after a reconnect) is acked and still not answered.
    suite.fake.socket.send('slash_commands', payload, 'env-dup');
    await suite.fake.waitFor(
      () => suite.fake.socket.acksFor('env-dup').length === 3,
      5000,
      'third ack',
    );
    await suite.slack.command('subscriptions');
    expect(suite.fake.responsesTo('dup')).toHaveLength(1);
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: channelId };
    expect((await suite.slack.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual([
      'robotics',
    ]);
  });

  it('answers an envelope redelivered after a reconnect once', async () => {
    const channelId = freshChannel();
    const payload = slashCommandPayload({
      text: 'subscribe diffusion',
      channelId,
      responseUrl: suite.fake.responseUrl('redelivered'),
    });
    suite.fake.socket.send('slash_commands', payload, 'env-re');
    await suite.fake.waitFor(
      () => suite.fake.responsesTo('redelivered')[0],
      5000,
      'the first answer',
    );
    const opened = suite.fake.callsOf('apps.connections.open').length;
    // Slack recycles the connection; the client opens a new one and Slack sends the envelope again.
    suite.fake.socket.dropConnections();
    await suite.fake.waitFor(
      () =>
        suite.fake.callsOf('apps.connections.open').length > opened &&
        suite.fake.socket.connections === 1,
      5000,
      'the reconnect',
    );
    suite.fake.socket.send('slash_commands', payload, 'env-re');
    await suite.fake.waitFor(
      () => suite.fake.socket.acksFor('env-re').length === 2,
      5000,
      'the second ack',
    );
    await suite.slack.command('subscriptions', { channelId });
    expect(suite.fake.responsesTo('redelivered')).toHaveLength(1);
    const ref = { platform: 'slack' as const, workspace: 'T0001', channel: channelId };
    expect((await suite.slack.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual([
      'diffusion',
    ]);
  });

  it('pages with buttons sent as interactive envelopes, also after a restart', async () => {
    const first = await suite.slack.command('search language models');
    const next = buttonValue(first.body, 'papers_page_next');
    expect(next).toBeDefined();
    const second = await suite.slack.press('papers_page_next', next as string);
    expect(textOf(second.body)).toContain('Page 2 of');
    const opened = suite.fake.callsOf('apps.connections.open').length;
    await suite.slack.restart();
    expect(suite.fake.callsOf('apps.connections.open')).toHaveLength(opened + 1);
    const again = await suite.slack.press('papers_page_next', next as string);
    expect(textOf(again.body)).toBe(textOf(second.body));
  });

  it('never logs the app or bot token', async () => {
    await suite.slack.command('search robotics');
    expect(suite.log.text()).not.toContain(APP_TOKEN);
    expect(suite.log.text()).not.toContain(BOT_TOKEN);
  });
});
