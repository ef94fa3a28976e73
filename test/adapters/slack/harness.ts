import { Writable } from 'node:stream';
import { afterEach, beforeEach, expect } from 'vitest';
import { type Config, loadConfig } from '../../../src/config.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';

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
