import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Bot } from '../../../src/app.js';
import { type Config, loadConfig } from '../../../src/config.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import {
  type FakeSlack,
  type FakeSlackOptions,
  startFakeSlack,
} from '../../fakes/slack/fake-slack.js';
import { addExtraPapers } from './records.js';
import { createTestBot, type SlackBotUnderTest, startSlackBot } from './slack-bot.js';

/** The repo's default config with Slack options overridden (config is frozen, so copy). */
export function testConfig(slack: Partial<Config['slack']> = {}): Config {
  const base = loadConfig({ env: {}, rootDir: process.cwd() });
  return { ...base, slack: { ...base.slack, ...slack } };
}

/** A real pino logger writing JSON lines into memory, so tests can read what was logged. */
export function memoryLogger(): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  text: () => string;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Fails the current test if any promise rejection goes unhandled while it runs. */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(() => {
    process.off('unhandledRejection', onRejection);
    expect(seen, 'unhandled promise rejections').toEqual([]);
  });
}

/** What slackBotPerTest sets up; fields are filled in by its hooks before each test runs. */
export interface SlackSuite {
  fake: FakeSlack;
  shared: { bot: Bot; config: Config };
  slack: SlackBotUnderTest;
  log: ReturnType<typeof memoryLogger>;
}

/**
 * One fake Slack and one bot (with the extra papers) for the whole describe block, and a
 * fresh Slack adapter in `mode` with its own in-memory log for every test.
 */
export function slackBotPerTest(
  mode: 'http' | 'socket',
  fakeOptions?: FakeSlackOptions,
): SlackSuite {
  const suite = {} as SlackSuite;
  beforeAll(async () => {
    suite.fake = await startFakeSlack(fakeOptions);
    suite.shared = await createTestBot(memoryLogger().logger);
    await addExtraPapers(suite.shared.bot);
  });

  afterAll(async () => {
    await suite.shared.bot.close();
    await suite.fake.close();
  });

  beforeEach(async () => {
    suite.log = memoryLogger();
    suite.slack = await startSlackBot(mode, suite.fake, suite.shared, suite.log.logger);
  });

  afterEach(async () => {
    await suite.slack.stop();
  });
  return suite;
}
