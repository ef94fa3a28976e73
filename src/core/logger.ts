import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { scrubSecretShapes } from './secret-text.js';

export type { Logger };

const CENSOR = '[redacted]';

/**
 * Key names whose values never reach a log line, at any depth. Compared after lower-casing
 * and dropping `-`/`_`, so `Authorization`, `signing_secret` and `X-Api-Key` all match.
 */
const SECRET_KEYS = new Set([
  'token',
  'bottoken',
  'apptoken',
  'accesstoken',
  'refreshtoken',
  'signingsecret',
  'clientsecret',
  'secret',
  'secrets',
  'authorization',
  'proxyauthorization',
  'password',
  'passwd',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'responseurl',
  'webhookurl',
]);

/** Deeper than any object we log on purpose; bounds the walk so a huge object cannot stall a log call. */
const MAX_DEPTH = 10;
/** Shorter "secrets" would blank ordinary words out of every line. */
const MIN_SECRET_LENGTH = 4;

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stderr so stdout carries only command output. */
  destination?: { write(line: string): unknown };
  /** Human-readable lines (pino-pretty), e.g. on a TTY. */
  pretty?: boolean;
  /**
   * Secret values (tokens, signing secrets) to blank wherever they appear in text:
   * messages, error messages and stacks, free-form fields. Key-based redaction runs anyway.
   */
  secretValues?: ReadonlyArray<string | null | undefined>;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

type CensorText = (text: string) => string;

function textCensor(secretValues: LoggerOptions['secretValues']): CensorText {
  const secrets = [...new Set(secretValues ?? [])]
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret containing another is blanked whole.
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(CENSOR);
    return scrubSecretShapes(out);
  };
}

/**
 * A copy of `value` with secret-named keys censored at every depth and secret values blanked
 * from strings. Errors become pino's serialised shape first, so their text is scrubbed too.
 * `ancestors` holds the objects on the current path: a cycle prints as `[circular]`.
 */
function scrub(value: unknown, censor: CensorText, depth: number, ancestors: object[]): unknown {
  if (typeof value === 'string') return censor(value);
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  const path = [...ancestors, value];
  if (value instanceof Error) {
    const serialised = pino.stdSerializers.err(value);
    const out: Record<string, unknown> = {};
    // for…in: pino keeps type/message/stack as enumerable prototype fields.
    for (const key in serialised) {
      const field = (serialised as unknown as Record<string, unknown>)[key];
      if (field === undefined) continue;
      out[key] = isSecretKey(key) ? CENSOR : scrub(field, censor, depth + 1, path);
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, censor, depth + 1, path));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return scrub(toJSON.call(value), censor, depth + 1, path);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? CENSOR : scrub(field, censor, depth + 1, path);
  }
  return out;
}

function redactionOptions(censor: CensorText): pino.LoggerOptions {
  const scrubObject = (obj: Record<string, unknown>) =>
    scrub(obj, censor, 0, []) as Record<string, unknown>;
  return {
    formatters: { log: scrubObject, bindings: scrubObject },
    // formatters.log has already serialised and scrubbed every Error; pino's default would
    // serialise that plain copy again (as type "Object").
    serializers: { err: (value: unknown) => value },
    hooks: {
      // The last word on every line, whatever built it: a child's own formatters, serializers
      // or msgPrefix replace or bypass the hooks above, but never this one (pino keeps the
      // root's streamWrite for every child).
      streamWrite: censor,
      // The message and printf-style arguments bypass formatters.log; scrub them here.
      logMethod(args, method) {
        // logger.error(err) takes err.message as the line's message, unscrubbed: supply it.
        if (args[0] instanceof Error && typeof args[1] !== 'string') {
          args.splice(1, 0, args[0].message);
        }
        const scrubbed = args.map((arg, i) =>
          i === 0 && arg !== null && typeof arg === 'object' ? arg : scrub(arg, censor, 0, []),
        );
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
}

/** JSON lines by default, readable on a TTY, secrets redacted by key name at any depth. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const censor = textCensor(options.secretValues);
  return scrubChildBindings(rootLogger(options, censor), censor);
}

/**
 * pino applies formatters.bindings to the root only; children inherit this override
 * (they are created with Object.create(parent)), so every child's bindings are scrubbed.
 */
function scrubChildBindings(logger: Logger, censor: CensorText): Logger {
  const child = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, childOptions) {
    const clean = scrub(bindings, censor, 0, []) as typeof bindings;
    return child.call(this, clean, childOptions);
  } as typeof logger.child;
  return logger;
}

function rootLogger(options: LoggerOptions, censor: CensorText): Logger {
  const base = { level: options.level ?? 'info', ...redactionOptions(censor) };
  if (options.pretty && options.destination) {
    // Formatted in-process, so the destination (the terminal's prompt-safe sink) gets whole lines.
    const format = prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss' });
    const target = options.destination;
    return pino(base, { write: (line: string) => target.write(format(line)) });
  }
  if (options.pretty) {
    return pino(
      base,
      pino.transport({
        target: 'pino-pretty',
        options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' },
      }),
    );
  }
  return pino(
    base,
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
