import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActionCodec } from '../../../src/adapters/slack/action-values.js';
import { renderReply } from '../../../src/adapters/slack/render-reply.js';
import type { Bot } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { manualClock } from '../../../src/core/clock.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import {
  commandScenarios,
  ingestScenarioRecords,
  SCENARIO_NOW,
} from '../../scenarios/command-scenarios.js';
import { failOnUnhandledRejections, memoryLogger, testConfig } from './harness.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  createTestBot,
  freshChannel,
  type Mode,
  SIGNING_SECRET,
  type SlackBotUnderTest,
  startSlackBot,
} from './slack-bot.js';

/** Managers are listed admins; members are neither listed nor workspace admins. */
const MANAGER = 'UMANAGER';
const MEMBER = 'UMEMBER';

describe.each<Mode>(['http', 'socket'])(
  'the shared command scenarios, through Slack (%s)',
  (mode) => {
    failOnUnhandledRejections();
    let fake: FakeSlack;
    let shared: { bot: Bot; config: Config };
    let slack: SlackBotUnderTest;
    // Everything the bot and every adapter logged across the scenarios, for the secrets check.
    const log = memoryLogger();

    beforeAll(async () => {
      fake = await startFakeSlack({ pingIntervalMs: 500 });
      const config = testConfig({ manage: 'admins', adminUserIds: [MANAGER] });
      shared = await createTestBot(log.logger, {
        config,
        clock: manualClock(SCENARIO_NOW),
      });
      await ingestScenarioRecords(shared.bot);
    });

    afterAll(async () => {
      await shared.bot.close();
      await fake.close();
    });

    beforeEach(async () => {
      slack = await startSlackBot(mode, fake, shared, log.logger);
    });

    afterEach(async () => {
      await slack.stop();
    });

    for (const scenario of commandScenarios) {
      it(scenario.name, async () => {
        const channelId = freshChannel();
        for (const line of scenario.setup ?? []) {
          await slack.command(line, { channelId, userId: MANAGER });
          const setup = slack.seen.at(-1)?.reply;
          if (setup?.kind === 'error') throw new Error(`setup "${line}" failed: ${setup.message}`);
        }
        const before = slack.seen.length;
        const userId = scenario.canManage === false ? MEMBER : MANAGER;
        const { body } = await slack.command(scenario.text, { channelId, userId });
        expect(slack.seen).toHaveLength(before + 1);
        const seen = slack.seen[before];
        if (!seen) throw new Error('the adapter saw no reply');
        scenario.expect(seen.reply);

        // What reached Slack is exactly that reply, rendered.
        const share =
          seen.reply.kind === 'list' && seen.call
            ? {
                command: seen.call.name,
                options: Object.fromEntries(
                  Object.entries(seen.call.options).filter(([, v]) => v !== undefined),
                ) as Record<string, string | number>,
              }
            : undefined;
        const codec = createActionCodec(shared.bot.store, shared.bot.clock);
        const rendered = renderReply(seen.reply, { encode: codec.encode, share });
        expect(body.text).toBe(rendered.text);
        expect(body.blocks).toEqual(rendered.blocks);
        expect(body.response_type).toBe(seen.reply.kind === 'detail' ? 'in_channel' : 'ephemeral');
      });
    }

    it('wrote no token, signing secret or response_url to the log in any scenario', () => {
      const responseUrls = fake.responses.map((r) => fake.responseUrl(r.id));
      expect(responseUrls.length).toBeGreaterThanOrEqual(commandScenarios.length);
      const text = log.text();
      expect(text.length).toBeGreaterThan(0);
      const secrets = [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, ...responseUrls];
      expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
    });
  },
);
