import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { PaperboyError } from '../../src/core/errors.js';
import type { PaperSearch } from '../../src/core/search/types.js';
import { memoryBot, NOW } from './bot-fixture.js';

// Upstream errors quote URLs whole: fetch's refusal of a URL with credentials, a webhook's
// path, a query-string key. None of it may reach a reply, which other tenants may see.
const PASSWORD = 'mirror-password-42';
const QUERY_KEY = 'queryKEY4242';
const WEBHOOK_TOKEN = 'WebhookTokenSecret0042';
const RESPONSE_URL_SECRET = 'RESPONSEURLSECRET42';
const SECRETS = [PASSWORD, QUERY_KEY, WEBHOOK_TOKEN, RESPONSE_URL_SECRET];
const QUOTED =
  `Request cannot be constructed from a URL that includes credentials: ` +
  `https://mirror:${PASSWORD}@rss.example/rss/cs.RO?api_key=${QUERY_KEY}`;

let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('secrets never reach a reply', () => {
  it('status: a source failure and a posting failure quoting secret URLs are shown blanked', async () => {
    const { bot } = fixture;
    bot.store.recordSourceRun({
      source: 'huggingface',
      startedAt: NOW,
      finishedAt: NOW,
      ok: false,
      fetched: 0,
      added: 0,
      messages: [`Hugging Face Daily Papers could not be reached (${QUOTED}).`],
    });
    const ctx = fixture.context();
    await runCommand({ name: 'schedule', options: { time: '09:00' } }, ctx);
    bot.store.setChannelFailure(
      ctx.channel,
      `POST https://discord.com/api/v10/webhooks/1234567890/${WEBHOOK_TOKEN}/messages failed; ` +
        `response_url=https://hooks.slack.com/commands/T1/2/${RESPONSE_URL_SECRET}`,
      bot.clock.now(),
    );
    const reply = await runCommand({ name: 'status', options: {} }, ctx);
    const text = JSON.stringify(reply);
    expect(text).toContain('could not be reached');
    expect(text).toContain('posting fails since');
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    // `subscriptions` shows the channel's own failure too.
    const own = JSON.stringify(await runCommand({ name: 'subscriptions', options: {} }, ctx));
    expect(own).toContain('Posting here fails since');
    for (const secret of SECRETS) expect(own, secret).not.toContain(secret);
  });

  it('an error reply quoting a coded error with a secret URL blanks it', async () => {
    const failing = new Proxy({} as PaperSearch, {
      get: () => () => {
        throw new PaperboyError('STORE_FAILED', `Search failed: ${QUOTED}`);
      },
    });
    const reply = await runCommand(
      { name: 'search', options: { query: 'robots' } },
      fixture.context({ search: failing }),
    );
    expect(reply.kind).toBe('error');
    const text = JSON.stringify(reply);
    expect(text).toContain('STORE_FAILED');
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
  });
});
