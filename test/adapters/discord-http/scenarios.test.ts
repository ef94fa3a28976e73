import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCustomId } from '../../../src/adapters/discord/paging.js';
import { renderReply } from '../../../src/adapters/discord/render-reply.js';
import type { Reply } from '../../../src/commands/reply.js';
import { commandInteraction, PERMISSIONS } from '../../fakes/discord/interactions.js';
import {
  commandScenarios,
  ingestScenarioRecords,
  SCENARIO_NOW,
} from '../../scenarios/command-scenarios.js';
import { discordCall } from '../discord/discord-call.js';
import { type Answer, EPHEMERAL, failOnCrash } from '../discord/harness.js';
import { answerOverHttp, type HttpHarness, startHttpHarness } from './harness.js';

failOnCrash();

describe('the shared command scenarios, through Discord HTTP interactions (signed POSTs)', () => {
  let h: HttpHarness;

  beforeAll(async () => {
    h = await startHttpHarness({ now: SCENARIO_NOW });
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
    const sent = commandInteraction(h.fake, call.name, call.options, {
      channelId,
      permissions: canManage ? PERMISSIONS.manager : PERMISSIONS.member,
    });
    const answer = await answerOverHttp(h, sent);
    const seen = h.seen[before];
    if (!seen) throw new Error(`the adapter saw no reply to "${text}"`);
    expect(seen.call.name).toBe(call.name);
    return { reply: seen.reply, answer };
  }

  commandScenarios.forEach((scenario, i) => {
    const sendable = discordCall(scenario.text) !== null;
    it.skipIf(!sendable)(scenario.name, async () => {
      const channelId = String(310000000000000000n + BigInt(i));
      h.fake.addTextChannel(channelId);
      for (const line of scenario.setup ?? []) {
        const { reply } = await run(line, channelId, true);
        if (reply.kind === 'error') throw new Error(`setup "${line}" failed: ${reply.message}`);
      }
      const { reply, answer } = await run(scenario.text, channelId, scenario.canManage ?? true);
      scenario.expect(reply);

      // What the user sees is exactly that reply, rendered by the gateway's renderer.
      const rendered = renderReply(reply, {
        pageId: (r) => pageCustomId(r, h.bot.store, h.clock.now()),
      });
      expect(answer.message.embeds).toEqual(rendered.embeds);
      expect(answer.message.allowed_mentions).toEqual({ parse: [] });
      expect(Boolean((answer.message.flags ?? 0) & EPHEMERAL)).toBe(rendered.ephemeral);
    });
  });

  it('runs nearly every scenario: only texts Discord could not send are skipped', () => {
    const skipped = commandScenarios.filter((s) => discordCall(s.text) === null);
    expect(skipped.length).toBeLessThanOrEqual(commandScenarios.length / 5);
  });

  it('never wrote an interaction token to the log', () => {
    const tokens = h.fake.requests
      .map((r) => /^\/webhooks\/\d+\/([^/]+)/.exec(r.path)?.[1])
      .filter((t): t is string => Boolean(t));
    expect(tokens.length).toBeGreaterThan(0);
    const log = h.logs.join('');
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
