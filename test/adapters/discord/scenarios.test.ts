import { afterAll, beforeAll, describe } from 'vitest';
import { sendCommand } from '../../fakes/discord/interactions.js';
import { ingestScenarioRecords, SCENARIO_NOW } from '../../scenarios/command-scenarios.js';
import { answerTo, failOnCrash, type Harness, startHarness } from './harness.js';
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
});
