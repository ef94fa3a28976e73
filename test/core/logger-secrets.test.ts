import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { configSecrets, envSecretValues, loadConfig } from '../../src/config.js';
import { createLogger, type LoggerOptions } from '../../src/core/logger.js';
import { startupMessage } from '../../src/startup.js';

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDpTRUNSRVQ';
const WEBHOOK_TOKEN = 'webhookTOKENsecret0042';
const RESPONSE_PATH = 'T0001/B0002/RESPONSEURLSECRET';
const SLACK_TOKENS = [
  'xoxb-1111-2222-BOTSECRET',
  'xoxp-3333-4444-USERSECRET',
  'xapp-1-A0001-5555-APPSECRET',
  'xoxa-2-ACCESSSECRET',
];
const BEARER = 'eyJhbGciOi.BEARERSECRET.sig';
const LLM_KEY = 'sk-llm-key-SECRET-9999';
const ALL = [
  INTERACTION_TOKEN,
  WEBHOOK_TOKEN,
  'RESPONSEURLSECRET',
  BEARER,
  LLM_KEY,
  ...SLACK_TOKENS,
];

function capture(options: Omit<LoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const destination = {
    write(line: string) {
      lines.push(line);
      return true;
    },
  };
  return {
    logger: createLogger({ level: 'debug', ...options, destination }),
    text: () => lines.join(''),
  };
}

/** An error as discord.js / Bolt / fetch throw them: secrets in its message, fields and cause. */
function platformError(): Error {
  const cause = new Error(`POST https://hooks.slack.com/commands/${RESPONSE_PATH} failed`);
  const error = new Error(
    `Unknown interaction at /api/v10/interactions/1234567890/${INTERACTION_TOKEN}/callback`,
    { cause },
  ) as Error & Record<string, unknown>;
  error.url = `https://discord.com/api/v10/webhooks/987654321/${WEBHOOK_TOKEN}/messages/@original`;
  error.requestBody = { headers: { auth: `Bearer ${BEARER}` }, note: SLACK_TOKENS.join(' ') };
  error.detail = `model said 401 for key ${LLM_KEY}`;
  return error;
}

function leaks(text: string): string[] {
  return ALL.filter((secret) => text.includes(secret));
}

describe('every log line is scrubbed, whatever logger wrote it', () => {
  const secretValues = [LLM_KEY];

  it('an error through a child of a child, as err and as the first argument', () => {
    const { logger, text } = capture({ secretValues });
    const child = logger.child({ adapter: 'discord' }).child({ channel: 'C1' });
    child.error({ err: platformError() }, 'interaction failed');
    child.warn(platformError());
    child.info(`Authorization: Bearer ${BEARER}`);
    expect(text()).toContain('interactions/1234567890/[redacted]');
    expect(leaks(text())).toEqual([]);
  });

  it('a child with its own formatters, serializers and msgPrefix cannot bypass it', () => {
    const { logger, text } = capture({ secretValues });
    const raw = logger.child(
      { via: `https://hooks.slack.com/actions/${RESPONSE_PATH}` },
      {
        formatters: { log: (o: object) => o },
        serializers: { err: pino.stdSerializers.err, req: (r: { auth: string }) => r.auth },
        msgPrefix: `[${SLACK_TOKENS[0]}] `,
      },
    );
    raw.error({ err: platformError(), req: { auth: `Bearer ${BEARER}` } }, 'raw child');
    raw.child({ token2: LLM_KEY }).info('grandchild');
    expect(text()).toContain('raw child');
    expect(leaks(text())).toEqual([]);
  });

  it('a URL password, a query-string key and a Socket Mode ticket are blanked, the rest kept', async () => {
    const { logger, text } = capture();
    const fetchRefusal = new TypeError(
      'Request cannot be constructed from a URL that includes credentials: ' +
        'https://mirror:MIRRORPASS42@rss.example/rss?api_key=QUERYKEY42&page=2',
    );
    logger.error({ err: fetchRefusal }, 'source failed');
    logger.info({ url: 'wss://wss-primary.slack.com/link/?ticket=TICKET42&app_id=A1' }, 'socket');
    logger.warn('database at postgres://paperboy:DBPASS42@db.internal:5432/paperboy is down');
    for (const secret of ['MIRRORPASS42', 'QUERYKEY42', 'TICKET42', 'DBPASS42'])
      expect(text(), secret).not.toContain(secret);
    expect(text()).toContain('https://mirror:[redacted]@rss.example/rss?api_key=[redacted]&page=2');
    expect(text()).toContain('postgres://paperboy:[redacted]@db.internal:5432/paperboy');
    expect(text()).toContain('app_id=A1');
  });

  it("the configured LLM key is among the config's secrets", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-llm-'));
    const file = path.join(dir, 'llm.json');
    writeFileSync(file, JSON.stringify({ llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm' } }));
    const config = loadConfig({
      env: { PAPERBOY_LLM_API_KEY: LLM_KEY, PAPERBOY_CONFIG: file },
      rootDir: process.cwd(),
    });
    rmSync(dir, { recursive: true });
    expect(configSecrets(config)).toContain(LLM_KEY);
    const { logger, text } = capture({ secretValues: configSecrets(config) });
    logger.child({}).error({ err: new Error(`401 for ${LLM_KEY}`) }, 'model failed');
    expect(leaks(text())).toEqual([]);
  });
});

describe('the start-up line', () => {
  it('blanks the secret variables as set, even when the config never loaded', () => {
    const env = { DISCORD_TOKEN: 'not-even-a-valid-token-1234', PAPERBOY_LLM_API_KEY: LLM_KEY };
    const line = startupMessage(
      new Error(`boom with not-even-a-valid-token-1234 and ${LLM_KEY} and Bearer ${BEARER}`),
      envSecretValues(env),
    );
    expect(line).toContain('Paperboy stopped on an unexpected error: boom with [redacted]');
    expect(leaks(line)).toEqual([]);
    expect(line).not.toContain('not-even-a-valid-token-1234');
  });
});
