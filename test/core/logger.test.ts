import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../src/core/logger.js';

const SECRET = 'xoxb-super-secret-4242';

function capture(options: Omit<LoggerOptions, 'destination'> = {}) {
  const raw: string[] = [];
  const destination = {
    write(line: string) {
      raw.push(line);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const logger = createLogger({ level: 'debug', ...options, destination });
  return {
    logger,
    raw,
    last: () => JSON.parse(raw.at(-1) ?? 'null') as Record<string, unknown>,
  };
}

describe('createLogger redaction', () => {
  it('redacts a secret key at the top level', () => {
    const { logger, raw, last } = capture();
    logger.info({ token: SECRET }, 'starting');
    expect(last().token).toBe('[redacted]');
    expect(raw.join('')).not.toContain(SECRET);
  });

  it('redacts secret keys nested three levels deep, keeping their neighbours', () => {
    const { logger, raw, last } = capture();
    logger.info({ config: { discord: { secrets: { token: SECRET }, enabled: true } } }, 'config');
    const line = last() as { config: { discord: { secrets: unknown; enabled: boolean } } };
    expect(line.config.discord.secrets).toBe('[redacted]');
    expect(line.config.discord.enabled).toBe(true);
    expect(raw.join('')).not.toContain(SECRET);

    logger.info({ a: { b: { c: { botToken: SECRET, signingSecret: SECRET, name: 'ok' } } } });
    const deep = last() as { a: { b: { c: Record<string, unknown> } } };
    expect(deep.a.b.c).toEqual({ botToken: '[redacted]', signingSecret: '[redacted]', name: 'ok' });
    expect(raw.join('')).not.toContain(SECRET);
  });

  it('matches key names case-insensitively (Authorization, Cookie, PASSWORD)', () => {
    const { logger, raw, last } = capture();
    logger.info({
      request: {
        headers: { Authorization: `Bearer ${SECRET}`, Cookie: SECRET, accept: 'text/html' },
      },
      PASSWORD: SECRET,
      AppToken: SECRET,
    });
    const line = last() as { request: { headers: Record<string, unknown> } } & Record<
      string,
      unknown
    >;
    expect(line.request.headers).toEqual({
      Authorization: '[redacted]',
      Cookie: '[redacted]',
      accept: 'text/html',
    });
    expect(line.PASSWORD).toBe('[redacted]');
    expect(line.AppToken).toBe('[redacted]');
    expect(raw.join('')).not.toContain(SECRET);
  });

  it('redacts inside arrays and child-logger bindings, and survives cycles', () => {
    const { logger, raw, last } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    logger.child({ slack: { botToken: SECRET } }).info({ list: [{ token: SECRET }], cyclic });
    const line = last() as { list: Array<Record<string, unknown>>; slack: Record<string, unknown> };
    expect(line.list[0]?.token).toBe('[redacted]');
    expect(line.slack.botToken).toBe('[redacted]');
    expect(raw.join('')).not.toContain(SECRET);
  });

  it('bounds the depth it walks so a deep object cannot stall logging', () => {
    const { logger, last } = capture();
    let deep: Record<string, unknown> = { token: SECRET };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    logger.info({ deep });
    expect(JSON.stringify(last())).not.toContain(SECRET);
  });

  it('keeps a configured secret value out of error messages, stacks and log messages', () => {
    const { logger, raw, last } = capture({ secretValues: [SECRET, ''] });
    const err = new Error(`login failed for token ${SECRET}`);
    logger.error({ err }, 'discord login failed');
    const line = last() as { err: { message: string; stack: string; type: string } };
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe('login failed for token [redacted]');
    expect(line.err.stack).toContain('[redacted]');
    logger.error(err);
    expect(last().msg).toBe('login failed for token [redacted]');
    expect((last() as { err: { message: string } }).err.message).toBe(
      'login failed for token [redacted]',
    );
    logger.warn(`header was ${SECRET}`);
    expect(last().msg).toBe('header was [redacted]');
    logger.info({ note: `value ${SECRET} in free text` });
    expect(last().note).toBe('value [redacted] in free text');
    expect(raw.join('')).not.toContain(SECRET);
  });

  it('still serialises errors with their cause when no secrets are configured', () => {
    const { logger, last } = capture();
    logger.error({ err: new Error('outer', { cause: new Error('inner') }) }, 'failed');
    const line = last() as { err: { message: string; type: string; stack: string } };
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe('outer: inner');
    expect(line.err.stack).toContain('inner');
  });
});

describe('createLogger scrubs per-request secrets by their shape', () => {
  const INTERACTION = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDpzZWNyZXQ';
  const HOOK = 'XyZsecretHookPath42';

  it('blanks interaction and webhook tokens in an error url, its message, its cause and nested fields', () => {
    const { logger, raw, last } = capture();
    const apiError = Object.assign(new Error(`Unknown interaction`), {
      url: `https://discord.com/api/v10/interactions/1234567890/${INTERACTION}/callback`,
      method: 'POST',
    });
    const wrapped = new Error('answer failed', {
      cause: new Error(`PATCH /webhooks/111/${INTERACTION}/messages/@original: 404`),
    });
    logger.error({ err: apiError, attempt: { previous: wrapped } }, 'Discord interaction failed');
    const line = last() as { err: { url: string } };
    expect(line.err.url).toBe(
      'https://discord.com/api/v10/interactions/1234567890/[redacted]/callback',
    );
    logger.error({ err: wrapped }, 'failed');
    expect(raw.join('')).not.toContain(INTERACTION);
  });

  it('blanks Slack response_urls and hooks.slack.com URLs, plain, in JSON and form-encoded', () => {
    const { logger, raw, last } = capture();
    logger.warn(`respond() to https://hooks.slack.com/commands/T0001/42/${HOOK} failed`);
    expect(last().msg).toBe('respond() to https://hooks.slack.com/[redacted] failed');
    logger.info({ body: JSON.stringify({ response_url: `http://127.0.0.1:9/r/${HOOK}` }) });
    logger.info({ form: `text=hi&response_url=http%3A%2F%2F127.0.0.1%2Fr%2F${HOOK}&x=1` });
    expect(last().form).toBe('text=hi&response_url=[redacted]&x=1');
    logger.info({ payload: { response_url: `http://fake/${HOOK}`, webhookUrl: `x/${HOOK}` } });
    logger.info(`https://hooks.slack.com%2Fservices%2FT1%2FB1%2F${HOOK}`);
    expect(raw.join('')).not.toContain(HOOK);
  });

  it('blanks Slack tokens by their prefix even when nobody configured them', () => {
    const { logger, raw } = capture();
    logger.warn('auth failed for xoxb-1111-2222-abcdefSECRET and xapp-1-A1-999-ffSECRET');
    expect(raw.join('')).not.toContain('SECRET');
    expect(raw.join('')).toContain('auth failed for [redacted] and [redacted]');
  });
});
