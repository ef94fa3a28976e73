import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCustomId } from '../../../src/adapters/discord/paging.js';
import { renderReply } from '../../../src/adapters/discord/render-reply.js';
import type { Reply } from '../../../src/commands/reply.js';
import { PERMISSIONS, sendCommand } from '../../fakes/discord/interactions.js';
import {
  commandScenarios,
  ingestScenarioRecords,
  SCENARIO_NOW,
} from '../../scenarios/command-scenarios.js';
import { discordCall } from './discord-call.js';
import {
  type Answer,
  answerTo,
  EPHEMERAL,
  failOnCrash,
  type Harness,
  startHarness,
} from './harness.js';

failOnCrash();

describe('the shared command scenarios, through Discord (real discord.js against the fake)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: SCENARIO_NOW });
    await ingestScenarioRecords(h.bot);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function run(
    text: string,
    channelId: string,
    canManage: boolean,
  ): Promise<{ reply: Reply; answer: Answer }> {
    const call = discordCall(text);
    if (!call) throw new Error(`Discord cannot send "${text}"`);
    const before = h.seen.length;
    const sent = sendCommand(h.fake, call.name, call.options, {
      channelId,
      permissions: canManage ? PERMISSIONS.manager : PERMISSIONS.member,
    });
    const answer = await answerTo(h.fake, sent);
    const seen = h.seen[before];
    if (!seen) throw new Error(`the adapter saw no reply to "${text}"`);
    expect(seen.call.name).toBe(call.name);
    return { reply: seen.reply, answer };
  }

  commandScenarios.forEach((scenario, i) => {
    const sendable = discordCall(scenario.text) !== null;
    it.skipIf(!sendable)(scenario.name, async () => {
      // A fresh channel per scenario, as the in-memory runner does.
      const channelId = String(300000000000000000n + BigInt(i));
      h.fake.addTextChannel(channelId);
      for (const line of scenario.setup ?? []) {
        const { reply } = await run(line, channelId, true);
        if (reply.kind === 'error') throw new Error(`setup "${line}" failed: ${reply.message}`);
      }
      const { reply, answer } = await run(scenario.text, channelId, scenario.canManage ?? true);
      scenario.expect(reply);

      // What reached Discord is exactly that reply, rendered, and never pings anyone.
      const rendered = renderReply(reply, {
        pageId: (r) => pageCustomId(r, h.bot.store, h.clock.now()),
      });
      expect(answer.message.embeds).toEqual(rendered.embeds);
      expect(answer.message.allowed_mentions).toEqual({ parse: [] });
      expect(Boolean((answer.message.flags ?? 0) & EPHEMERAL)).toBe(rendered.ephemeral);
    });
  });

  it('runs nearly every scenario: only texts Discord could not send are skipped', () => {
    const skipped = commandScenarios.filter((s) => discordCall(s.text) === null).map((s) => s.text);
    expect(skipped.length).toBeLessThanOrEqual(commandScenarios.length / 5);
  });
});
