import pino, { type Logger } from 'pino';

export type { Logger };

/** Keys whose values are replaced in every log line, wherever they appear. */
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secrets',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.secrets',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stderr so stdout carries only command output. */
  destination?: NodeJS.WritableStream;
  /** Human-readable lines (pino-pretty), e.g. on a TTY. */
  pretty?: boolean;
}

/** JSON lines by default, readable on a TTY, secrets redacted by key. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const redact = { paths: REDACT, censor: '[redacted]' };
  if (options.pretty) {
    return pino(
      { level, redact },
      pino.transport({
        target: 'pino-pretty',
        options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' },
      }),
    );
  }
  return pino(
    { level, redact },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
