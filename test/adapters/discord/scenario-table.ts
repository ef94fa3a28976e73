import { expect, it } from 'vitest';
import { pageCustomId } from '../../../src/adapters/discord/paging.js';
import { renderReply } from '../../../src/adapters/discord/render-reply.js';
import { parseCommandText } from '../../../src/commands/parse-text.js';
import type { Reply } from '../../../src/commands/reply.js';
import { type CommandCall, findSubcommand } from '../../../src/commands/spec.js';
import type { Clock } from '../../../src/core/clock.js';
import type { AsyncStore } from '../../../src/core/store/async-store.js';
import { PendingState } from '../../../src/core/store/pending-state.js';
import type { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import {
  type OptionValue,
  PERMISSIONS,
  type SentInteraction,
} from '../../fakes/discord/interactions.js';
import { commandScenarios } from '../../scenarios/command-scenarios.js';
import { type Answer, EPHEMERAL } from './harness.js';

/**
 * A scenario's text as Discord would send it: the subcommand with typed options.
 * `null` when Discord's client could not send it at all (unknown subcommand, an
 * option the subcommand lacks, a non-integer in an integer option).
 */
export function discordCall(
  text: string,
): { name: string; options: Record<string, OptionValue> } | null {
  const call: CommandCall | { kind: string } = parseCommandText(text);
  if ('kind' in call) return null;
  const spec = findSubcommand(call.name);
  if (!spec) return null;
  const options: Record<string, OptionValue> = {};
  for (const [name, value] of Object.entries(call.options)) {
    if (value === undefined) continue;
    const option = spec.options.find((o) => o.name === name);
    if (!option) return null;
    if (option.type === 'integer') {
      if (!/^-?\d+$/.test(String(value))) return null;
      options[name] = Number(value);
    } else {
      options[name] = String(value);
    }
  }
  return { name: call.name, options };
}

/** What a transport (gateway or HTTP) gives the shared scenario runner. */
export interface ScenarioTransport {
  bot: { store: AsyncStore };
  clock: Clock;
  fake: FakeDiscord;
  /** Every command call and its reply, as the adapter saw them. */
  seen: Array<{ call: CommandCall; reply: Reply }>;
  /** Sends the interaction and waits for what the user finally sees. */
  answer(sent: SentInteraction): Promise<Answer>;
  /** Builds (and, on the gateway, dispatches) a `/papers` command interaction. */
  command(
    name: string,
    options: Record<string, OptionValue>,
    place: { channelId: string; permissions: string },
  ): SentInteraction;
}

/**
 * Registers one test per shared scenario (test/scenarios/command-scenarios.ts): each in a
 * fresh channel, setup lines first, then the text; the reply must pass the scenario and
 * reach Discord exactly as the shared renderer draws it, pinging no one.
 */
export function scenarioTable(transport: () => ScenarioTransport, firstChannel: bigint): void {
  async function run(text: string, channelId: string, canManage: boolean) {
    const t = transport();
    const call = discordCall(text);
    if (!call) throw new Error(`Discord cannot send "${text}"`);
    const before = t.seen.length;
    const permissions = canManage ? PERMISSIONS.manager : PERMISSIONS.member;
    const answer = await t.answer(t.command(call.name, call.options, { channelId, permissions }));
    const seen = t.seen[before];
    if (!seen) throw new Error(`the adapter saw no reply to "${text}"`);
    expect(seen.call.name).toBe(call.name);
    return { reply: seen.reply, answer };
  }

  commandScenarios.forEach((scenario, i) => {
    const sendable = discordCall(scenario.text) !== null;
    it.skipIf(!sendable)(scenario.name, async () => {
      const t = transport();
      // A fresh channel per scenario, as the in-memory runner does.
      const channelId = String(firstChannel + BigInt(i));
      t.fake.addTextChannel(channelId);
      for (const line of scenario.setup ?? []) {
        const { reply } = await run(line, channelId, true);
        if (reply.kind === 'error') throw new Error(`setup "${line}" failed: ${reply.message}`);
      }
      const { reply, answer } = await run(scenario.text, channelId, scenario.canManage ?? true);
      scenario.expect(reply);

      // Ids only (the adapter stored its own): nothing here needs saving.
      const pages = new PendingState(t.bot.store, () => t.clock.now());
      const rendered = renderReply(reply, { pageId: (r) => pageCustomId(r, pages) });
      expect(answer.message.embeds).toEqual(rendered.embeds);
      expect(answer.message.allowed_mentions).toEqual({ parse: [] });
      expect(Boolean((answer.message.flags ?? 0) & EPHEMERAL)).toBe(rendered.ephemeral);
    });
  });

  it('runs nearly every scenario: only texts Discord could not send are skipped', () => {
    const skipped = commandScenarios.filter((s) => discordCall(s.text) === null);
    expect(skipped.length).toBeLessThanOrEqual(commandScenarios.length / 5);
  });
}
