import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSecrets, envSecretValues, loadConfig } from '../src/config.js';
import { isPaperboyError } from '../src/core/errors.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'paperboy-config-'));
  mkdirSync(path.join(root, 'config'));
  copyFileSync(
    new URL('../config/default.json', import.meta.url),
    path.join(root, 'config', 'default.json'),
  );
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function writeJson(relative: string, value: unknown): string {
  const file = path.join(root, relative);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** The message lines of the CONFIG_INVALID error loadConfig throws. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ env, rootDir: root });
  } catch (error) {
    if (!isPaperboyError(error, 'CONFIG_INVALID')) throw error;
    const [heading, ...lines] = error.message.split('\n');
    expect(heading).toBe('Invalid configuration:');
    return lines.map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('expected loadConfig to reject the configuration');
}

describe('loadConfig precedence', () => {
  it('reads the committed defaults with no platform enabled', () => {
    const config = loadConfig({ env: {}, rootDir: root });
    expect(config.digest).toMatchObject({ time: '09:00', timeZone: 'UTC', size: 10 });
    expect(config.log.level).toBe('info');
    expect(config.dataDir).toBe(path.join(root, 'data'));
    expect(config.discord.secrets).toBeNull();
    expect(config.slack.secrets).toBeNull();
  });

  it('layers default < local < PAPERBOY_CONFIG < environment', () => {
    writeJson('config/local.json', {
      digest: { time: '10:00', size: 20 },
      log: { level: 'debug' },
      sources: { arxiv: { enabled: true, categories: ['cs.RO'] } },
    });
    writeJson('team.json', { digest: { time: '11:00' }, log: { level: 'warn' } });
    const config = loadConfig({
      env: {
        PAPERBOY_CONFIG: 'team.json',
        PAPERBOY_LOG_LEVEL: 'error',
        PAPERBOY_DATA_DIR: 'var/db',
      },
      rootDir: root,
    });
    expect(config.digest.time).toBe('11:00'); // PAPERBOY_CONFIG over local
    expect(config.digest.size).toBe(20); // local over default
    expect(config.digest.perTopic).toBe(5); // default kept
    expect(config.log.level).toBe('error'); // environment over every file
    expect(config.dataDir).toBe(path.join(root, 'var', 'db'));
    // Objects merge key by key; arrays are replaced whole.
    expect(config.sources.arxiv).toMatchObject({
      enabled: true,
      categories: ['cs.RO'],
      rssBaseUrl: 'https://rss.arxiv.org/rss',
    });
  });

  it('accepts an absolute PAPERBOY_CONFIG and an absolute data dir', () => {
    const file = writeJson('elsewhere.json', { digest: { days: 'weekdays' } });
    const dataDir = path.join(root, 'abs-data');
    const config = loadConfig({
      env: { PAPERBOY_CONFIG: file, PAPERBOY_DATA_DIR: dataDir },
      rootDir: root,
    });
    expect(config.digest.days).toBe('weekdays');
    expect(config.dataDir).toBe(dataDir);
  });

  it('treats empty environment variables as unset', () => {
    const config = loadConfig({
      env: {
        DISCORD_TOKEN: '',
        SLACK_BOT_TOKEN: '',
        PORT: '',
        PAPERBOY_CONFIG: '',
        PAPERBOY_LOG_LEVEL: '',
      },
      rootDir: root,
    });
    expect(config.discord.secrets).toBeNull();
    expect(config.slack.secrets).toBeNull();
    expect(config.log.level).toBe('info');
  });

  it('reads platform secrets from the environment only', () => {
    const config = loadConfig({
      env: {
        DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.discord-token-value-0123456789',
        DISCORD_APPLICATION_ID: '1234567890',
        SLACK_BOT_TOKEN: 'xoxb-slack-token-value',
        SLACK_SIGNING_SECRET: 'signing-secret-value',
        PORT: '3100',
      },
      rootDir: root,
    });
    expect(config.discord.secrets).toEqual({
      token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.discord-token-value-0123456789',
      applicationId: '1234567890',
      guildId: null,
      apiUrl: null,
    });
    expect(config.slack.secrets).toMatchObject({
      botToken: 'xoxb-slack-token-value',
      signingSecret: 'signing-secret-value',
      appToken: null,
      port: 3100,
    });
  });
});

describe('loadConfig validation', () => {
  it('lists one line per bad key, naming each', () => {
    writeJson('config/local.json', {
      digest: { time: '25:00', size: 0, timeZone: 'Mars/Olympus_Mons', colour: 'blue' },
      sources: { huggingface: { baseUrl: 'ftp://huggingface.co' } },
      health: { adminChannel: 'general' },
    });
    const problems = problemsOf({ PORT: 'eighty', PAPERBOY_LOG_LEVEL: 'loud' });
    const keys = [
      'env PAPERBOY_LOG_LEVEL:',
      'env PORT:',
      'sources.huggingface.baseUrl:',
      'digest.time:',
      'digest.timeZone:',
      'digest.size:',
      'digest.colour:',
      'health.adminChannel:',
    ];
    expect(problems).toHaveLength(keys.length);
    for (const key of keys) expect(problems.filter((line) => line.startsWith(key))).toHaveLength(1);
    expect(problems.find((line) => line.startsWith('digest.time:'))).toContain('HH:MM');
  });

  it('words numeric bounds plainly, not in zod defaults', () => {
    writeJson('config/local.json', {
      digest: { size: 0, perTopic: 2.5, maxAgeDays: '7', disableAfterDays: 400 },
      sources: { arxiv: { pollMinutes: 99999 } },
    });
    expect(problemsOf({})).toEqual([
      'sources.arxiv.pollMinutes: must be a whole number from 1 to 1440',
      'digest.size: must be a whole number from 1 to 50',
      'digest.perTopic: must be a whole number from 1 to 50',
      'digest.maxAgeDays: must be a whole number from 1 to 365',
      'digest.disableAfterDays: must be a whole number from 1 to 365',
    ]);
  });

  it('names a malformed token and how to get a good one, without printing it', () => {
    const secrets = {
      DISCORD_TOKEN: 'Bot abc-secret-do-not-print',
      DISCORD_APPLICATION_ID: '42',
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret-do-not-print',
      SLACK_APP_TOKEN: 'xoxb-in-the-wrong-place-secret',
    };
    const text = problemsOf(secrets).join('\n');
    expect(text).toContain('env DISCORD_TOKEN: is not a Discord bot token');
    expect(text).toContain('Reset Token');
    expect(text).toContain('env SLACK_BOT_TOKEN: is not a Slack bot token (xoxb-…)');
    expect(text).toContain('env SLACK_APP_TOKEN: is not a Slack app-level token (xapp-…)');
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
  });

  it('never prints a secret value', () => {
    const secrets = {
      DISCORD_TOKEN: 'MTIz.discord-secret-do-not-print',
      DISCORD_APPLICATION_ID: 'not-numeric-secretish',
      SLACK_BOT_TOKEN: 'xoxb-slack-secret-do-not-print',
    };
    const problems = problemsOf(secrets);
    const text = problems.join('\n');
    expect(text).toContain('DISCORD_APPLICATION_ID');
    expect(text).toContain('SLACK_SIGNING_SECRET or SLACK_APP_TOKEN');
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
  });

  it('rejects a secret put in a config file without printing it', () => {
    writeJson('config/local.json', { discord: { token: 'file-secret-do-not-print' } });
    const problems = problemsOf({});
    expect(problems).toEqual([
      'discord.token: is not a known setting (secrets come only from environment variables such as DISCORD_TOKEN)',
    ]);
  });

  it('refuses a URL holding a password, without printing it (fetch would quote it whole)', () => {
    writeJson('config/local.json', {
      sources: { arxiv: { rssBaseUrl: 'https://mirror:rss-password-do-not-print@rss.example/' } },
    });
    const problems = problemsOf({ SLACK_API_URL: 'https://u:slack-password-do-not-print@x.test/' });
    const text = problems.join('\n');
    expect(text).toContain('sources.arxiv.rssBaseUrl: must not hold a user name or password');
    expect(text).toContain('SLACK_API_URL: must not hold a user name or password');
    expect(text).not.toContain('do-not-print');
  });

  it('blanks a webhook URL or token pasted as a key when it names the unknown key', () => {
    writeJson('config/local.json', {
      'https://hooks.slack.com/services/T0000/B0000/WEBHOOKSECRET42': true,
      health: { 'xoxb-1111-2222-KEYSECRET': 'oops' },
    });
    const text = problemsOf({}).join('\n');
    expect(text).toContain('is not a known setting');
    expect(text).not.toContain('WEBHOOKSECRET42');
    expect(text).not.toContain('KEYSECRET');
  });

  it('names the file and place of broken JSON without quoting it', () => {
    writeJson(
      'config/local.json',
      '{\n  "digest": { "time": "10:00" },\n  "token": "json-secret-do-not-print" oops\n}',
    );
    const problems = problemsOf({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/local\.json: is not valid JSON at line 3, column \d+$/);
    expect(problems[0]).not.toContain('json-secret-do-not-print');
  });

  it('names a PAPERBOY_CONFIG file that cannot be read', () => {
    expect(problemsOf({ PAPERBOY_CONFIG: 'missing.json' })).toEqual([
      `${path.join(root, 'missing.json')}: cannot be read (ENOENT)`,
    ]);
  });

  it('ignores a __proto__ key instead of changing prototypes', () => {
    writeJson('config/local.json', '{"__proto__": {"polluted": true}, "digest": {"size": 3}}');
    const config = loadConfig({ env: {}, rootDir: root });
    expect(config.digest.size).toBe(3);
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect((config as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadConfig result', () => {
  it('is frozen all the way down', () => {
    const config = loadConfig({
      env: {
        DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.discord-token-value-0123456789',
        DISCORD_APPLICATION_ID: '42',
      },
      rootDir: root,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.digest)).toBe(true);
    expect(Object.isFrozen(config.sources.arxiv.categories)).toBe(true);
    expect(Object.isFrozen(config.discord.secrets)).toBe(true);
    expect(() => {
      (config.digest as { size: number }).size = 99;
    }).toThrow(TypeError);
    expect(() => {
      (config.sources.arxiv.categories as string[]).push('cs.CV');
    }).toThrow(TypeError);
  });
});

describe('PAPERBOY_DATABASE_URL', () => {
  it('selects the PostgreSQL store; SQLite (null) without it', () => {
    expect(loadConfig({ env: {}, rootDir: root }).databaseUrl).toBeNull();
    const url = 'postgresql://paperboy:p%40ss-w0rd-9@db.internal:5432/paperboy';
    expect(loadConfig({ env: { PAPERBOY_DATABASE_URL: url }, rootDir: root }).databaseUrl).toBe(
      url,
    );
  });

  it('keeps the URL and its password (decoded) among the values logs and errors blank', () => {
    const url = 'postgres://paperboy:p%40ss-w0rd-9@db.internal/paperboy';
    const config = loadConfig({ env: { PAPERBOY_DATABASE_URL: url }, rootDir: root });
    expect(configSecrets(config)).toEqual(expect.arrayContaining([url, 'p@ss-w0rd-9']));
    expect(envSecretValues({ PAPERBOY_DATABASE_URL: url })).toEqual(
      expect.arrayContaining([url, 'p@ss-w0rd-9']),
    );
  });

  it('reads the URL as the driver does: trimmed, with a server and a database, special characters encoded', () => {
    const problem = (value: string) => {
      try {
        loadConfig({ env: { PAPERBOY_DATABASE_URL: value }, rootDir: root });
        return null;
      } catch (error) {
        expect(isPaperboyError(error, 'CONFIG_INVALID')).toBe(true);
        const message = (error as Error).message;
        expect(message).not.toContain('hunter');
        return message;
      }
    };
    const url = 'postgres://paperboy:hunter2x@db.internal:5432/paperboy';
    // A copied .env line: spaces and a line break around the value are dropped.
    expect(
      loadConfig({ env: { PAPERBOY_DATABASE_URL: ` ${url}\n` }, rootDir: root }).databaseUrl,
    ).toBe(url);
    expect(problem('postgres://paperboy:hunter2x@db.internal:5432')).toMatch(/names no database/);
    expect(problem('postgres://paperboy:hunter2x@db.internal:5432/')).toMatch(/names no database/);
    // An unencoded "/" makes "paperboy:12" a host and port and the rest a database name.
    expect(problem('postgres://paperboy:12/hunter@db.internal/paperboy')).toMatch(/%2F/);
    expect(problem('postgres://paperboy:hunter?2@db.internal/paperboy')).toMatch(/%3F/);
    expect(problem('postgres://paperboy:hunter#2@db.internal/paperboy')).toMatch(/%23/);
    // An "@" in the password is read as the driver reads it (the last "@" ends it).
    expect(problem('postgres://paperboy:hunter@2@db.internal/paperboy')).toBeNull();
  });

  it('refuses a URL that is not PostgreSQL, without echoing it', () => {
    for (const bad of ['mysql://u:hunter2x@h/db', 'not a url hunter2x', 'postgres://']) {
      let message = '';
      try {
        loadConfig({ env: { PAPERBOY_DATABASE_URL: bad }, rootDir: root });
      } catch (error) {
        expect(isPaperboyError(error, 'CONFIG_INVALID')).toBe(true);
        message = (error as Error).message;
      }
      expect(message).toContain('PAPERBOY_DATABASE_URL: must be a PostgreSQL connection URL');
      expect(message).not.toContain('hunter2x');
    }
  });
});
