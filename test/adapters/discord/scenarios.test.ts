import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCommand } from '../../fakes/discord/interactions.js';
import { ingestScenarioRecords, SCENARIO_NOW } from '../../scenarios/command-scenarios.js';
import { answerTo, failOnCrash, type Harness, startHarness, TOKEN } from './harness.js';
import { scenarioTable } from './scenario-table.js';

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

  scenarioTable(
    () => ({
      ...h,
      answer: (sent) => answerTo(h.fake, sent),
      command: (name, options, place) => sendCommand(h.fake, name, options, place),
    }),
    300000000000000000n,
  );

  it('never wrote the bot token or an interaction token to the log', () => {
    const tokens = h.fake.requests
      .map((r) => /^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/.exec(r.path)?.[1])
      .filter((t): t is string => Boolean(t));
    expect(tokens.length).toBeGreaterThan(0);
    const log = h.logs.join('');
    expect([TOKEN, ...new Set(tokens)].filter((secret) => log.includes(secret))).toEqual([]);
  });
});
