import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

const TOKEN = /\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+/g;

/** Strings from the SDK are not structured, so redact token shapes in the text itself. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN, '$1[redacted]');
}

function line(parts: unknown[]): string {
  return redactTokens(
    parts
      .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
      .join(' '),
  );
}

/**
 * Bolt's logger interface over pino. Debug lines are dropped: the SDK prints whole
 * payloads at that level.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack-sdk' });
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => log.info(line(parts)),
    warn: (...parts: unknown[]) => log.warn(line(parts)),
    error: (...parts: unknown[]) => log.error(line(parts)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
