import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/adapters/shell/render-text.js';
import { type Harness, startHarness } from '../adapters/discord/harness.js';
import { slackBotPerTest } from '../adapters/slack/harness.js';
import { memoryBot } from '../commands/bot-fixture.js';
import { PERMISSIONS, sendAutocomplete, sendCommand } from '../fakes/discord/interactions.js';
import { terminalShell } from '../ops/fixtures.js';
import { commandText, discordCall, FUZZ, replyProblem, word } from './arbitraries.js';

describe('fuzz: arbitrary command text in the terminal', () => {
  it('every line gets a Reply that renders, never a throw', async () => {
    const { bot } = await memoryBot();
    const shell = terminalShell(bot);
    try {
      await fc.assert(
        fc.asyncProperty(commandText, async (text) => {
          const reply = await shell.runLine(text);
          expect(replyProblem(reply)).toBeNull();
          expect(typeof renderText(reply, { color: true, width: 80 })).toBe('string');
        }),
        FUZZ,
      );
    } finally {
      await bot.close();
    }
  }, 60_000);
});

describe('fuzz: arbitrary /papers text through Slack (real Bolt, HTTP)', () => {
  const suite = slackBotPerTest('http');

  it('every command is answered at the response_url with a Reply; nothing reaches the catch-all', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const before = suite.slack.seen.length;
        const asked = await suite.slack.command(text);
        expect(typeof asked.body.text).toBe('string');
        const blocks = asked.body.blocks as unknown[];
        expect(Array.isArray(blocks) && blocks.length <= 50).toBe(true);
        const seen = suite.slack.seen.slice(before);
        expect(seen).toHaveLength(1);
        expect(replyProblem(seen[0]?.reply)).toBeNull();
      }),
      { ...FUZZ, numRuns: 200 },
    );
    expect(suite.log.text()).not.toContain('/papers failed');
  }, 120_000);
});

describe('fuzz: arbitrary option values through Discord (real discord.js)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('every interaction is answered (reply, or defer then edit) with a Reply', async () => {
    const { fake } = harness;
    await fc.assert(
      fc.asyncProperty(discordCall, async (call) => {
        const before = harness.seen.length;
        const sent = sendCommand(fake, call.name, call.options, {
          permissions: PERMISSIONS.manager,
        });
        const callback = await fake.waitFor(
          (r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`,
          10_000,
        );
        if (callback.body?.type === 5) {
          await fake.waitFor(
            (r) => r.path.startsWith(`/webhooks/${fake.applicationId}/${sent.token}`),
            10_000,
          );
        }
        const seen = harness.seen.slice(before);
        expect(seen).toHaveLength(1);
        expect(replyProblem(seen[0]?.reply)).toBeNull();
      }),
      { ...FUZZ, numRuns: 150 },
    );
    expect(harness.logs.join('')).not.toContain('Discord interaction failed');
  }, 120_000);

  it('autocomplete with arbitrary typed text answers at most 25 choices of ≤ 100 chars', async () => {
    const { fake } = harness;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('show', 'unsubscribe', 'subscribe'),
        word,
        async (sub, typed) => {
          const focused = sub === 'show' ? 'paper' : 'topic';
          const sent = sendAutocomplete(fake, sub, focused, { [focused]: typed });
          const callback = await fake.waitFor(
            (r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`,
            10_000,
          );
          expect(callback.body.type).toBe(8);
          const choices = callback.body.data.choices as Array<{ name: string; value: string }>;
          expect(choices.length).toBeLessThanOrEqual(25);
          for (const c of choices) {
            expect(c.name.length).toBeGreaterThan(0);
            expect(c.name.length).toBeLessThanOrEqual(100);
            expect(c.value.length).toBeLessThanOrEqual(100);
          }
        },
      ),
      { ...FUZZ, numRuns: 100 },
    );
    expect(harness.logs.join('')).not.toContain('Discord interaction failed');
  }, 60_000);
});
