import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { parseCommandText } from '../../src/commands/parse-text.js';
import type { Reply } from '../../src/commands/reply.js';
import { loadConfig } from '../../src/config.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import {
  commandScenarios,
  ingestScenarioRecords,
  SCENARIO_NOW,
} from '../scenarios/command-scenarios.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let server: TestPostgres;
let bot: Bot;

beforeAll(async () => {
  server = await startPostgres();
  const url = await server.createDatabase('scenarios');
  // Selected as at start-up: PAPERBOY_DATABASE_URL in the environment the config reads.
  const config = loadConfig({ env: { PAPERBOY_DATABASE_URL: url } });
  bot = await createBot({
    config,
    clock: manualClock(SCENARIO_NOW),
    logger: silentLogger(),
    dataDir: ':memory:',
  });
  await ingestScenarioRecords(bot);
}, 60_000);

afterAll(async () => {
  await bot?.close();
  await server?.stop();
});

async function runText(text: string, channel: ChannelRef, canManage: boolean): Promise<Reply> {
  const call = parseCommandText(text);
  if ('kind' in call) return call;
  return runCommand(
    call,
    bot.contextFor(channel, { id: 'U1', canManageChannel: canManage }, 'Manage Channel'),
  );
}

describe('command scenarios on PostgreSQL', () => {
  it('runs on the PostgreSQL store, not SQLite', () => {
    if (!bot.postgres || bot.sqlite) throw new Error('the bot did not select PostgreSQL');
  });

  commandScenarios.forEach((scenario, i) => {
    it(scenario.name, async () => {
      const channel: ChannelRef = { platform: 'fake', workspace: 'scenarios', channel: `c${i}` };
      for (const line of scenario.setup ?? []) {
        const reply = await runText(line, channel, true);
        if (reply.kind === 'error') throw new Error(`setup "${line}" failed: ${reply.message}`);
      }
      scenario.expect(await runText(scenario.text, channel, scenario.canManage ?? true));
    });
  });
});
