import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandInteraction } from '../../fakes/discord/interactions.js';
import { ingestScenarioRecords, SCENARIO_NOW } from '../../scenarios/command-scenarios.js';
import { failOnCrash } from '../discord/harness.js';
import { scenarioTable } from '../discord/scenario-table.js';
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

  scenarioTable(
    () => ({
      ...h,
      answer: (sent) => answerOverHttp(h, sent),
      command: (name, options, place) => commandInteraction(h.fake, name, options, place),
    }),
    310000000000000000n,
  );

  it('never wrote an interaction token to the log', () => {
    const tokens = h.fake.requests
      .map((r) => /^\/webhooks\/\d+\/([^/]+)/.exec(r.path)?.[1])
      .filter((t): t is string => Boolean(t));
    expect(tokens.length).toBeGreaterThan(0);
    const log = h.logs.join('');
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
