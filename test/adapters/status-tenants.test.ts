import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { sendCommand } from '../fakes/discord/interactions.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/fake-slack.js';
import { answerTo, failOnCrash, type Harness, startHarness } from './discord/harness.js';
import { memoryLogger } from './slack/harness.js';
import { createTestBot, type SlackBotUnderTest, startSlackBot, textOf } from './slack/slack-bot.js';

failOnCrash();

const SCHEDULE = { time: '09:00', timeZone: 'UTC', days: 'every', size: 5 } as const;

/** Gives `ref` a schedule and a posting failure whose reason names the channel. */
async function seed(bot: Bot, ref: ChannelRef): Promise<void> {
  const now = bot.clock.now();
  await bot.store.setSchedule(ref, { ...SCHEDULE }, now);
  await bot.store.setChannelFailure(ref, `missing permission in ${ref.channel}`, now);
}

describe('/papers status through Discord shows the caller guild only', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a channel of another guild, and another user DM, never appear; its own guild does', async () => {
    const own: ChannelRef = {
      platform: 'discord',
      workspace: h.fake.guildId,
      channel: h.fake.channels.other,
    };
    await seed(h.bot, own);
    await seed(h.bot, {
      platform: 'discord',
      workspace: '799999999999999999',
      channel: '899999999999999999',
    });
    await seed(h.bot, { platform: 'discord', workspace: 'dm', channel: '500000000000000999' });
    const answer = await answerTo(h.fake, sendCommand(h.fake, 'status'));
    const text = JSON.stringify(answer.message);
    expect(text).toContain(`missing permission in ${h.fake.channels.other}`);
    for (const foreign of ['799999999999999999', '899999999999999999', '500000000000000999'])
      expect(text).not.toContain(foreign);
  });
});

describe('/papers status through Slack shows the caller workspace only', () => {
  let fake: FakeSlack;
  let shared: Awaited<ReturnType<typeof createTestBot>>;
  let slack: SlackBotUnderTest;
  beforeAll(async () => {
    fake = await startFakeSlack();
    const log = memoryLogger();
    shared = await createTestBot(log.logger);
    slack = await startSlackBot('http', fake, shared, log.logger);
  });
  afterAll(async () => {
    await slack?.stop();
    await shared?.bot.close();
    await fake?.close();
  });

  it('a channel of another workspace never appears; its own workspace does', async () => {
    await seed(shared.bot, { platform: 'slack', workspace: fake.teamId, channel: 'COWN0001' });
    await seed(shared.bot, { platform: 'slack', workspace: 'TOTHER999', channel: 'CFOREIGN9' });
    const answer = await slack.command('status');
    const text = textOf(answer.body);
    expect(text).toContain('missing permission in COWN0001');
    expect(text).not.toContain('TOTHER999');
    expect(text).not.toContain('CFOREIGN9');
  });
});
