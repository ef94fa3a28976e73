import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { sendCommand } from '../fakes/discord/interactions.js';
import { startFakeSlack } from '../fakes/slack/fake-slack.js';
import { signedPost, slashCommandBody } from '../fakes/slack/signed-request.js';
import { answerTo, failOnCrash, type Harness, startHarness, TOKEN } from './discord/harness.js';
import { BOT_TOKEN, createTestBot, SIGNING_SECRET, startSlackBot } from './slack/slack-bot.js';

failOnCrash();

/** A debug logger into memory that can wait for a line to be written. */
function watchedLog() {
  const events = new EventEmitter();
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      events.emit('line');
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    logger: createLogger({ level: 'debug', destination }),
    text,
    waitFor: (needle: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line with "${needle}"`)), 5000);
        const check = () => {
          if (!text().includes(needle)) return;
          clearTimeout(timer);
          events.off('line', check);
          resolve();
        };
        events.on('line', check);
        check();
      }),
  };
}

/** Every place a known secret occurs in the captured log text. */
function hits(log: string, secrets: string[]): string[] {
  return secrets.filter((secret) => log.includes(secret));
}

describe('secrets never reach the log (real adapters, captured output)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('Discord: a refused callback and a refused edit log the error with the interaction token blanked', async () => {
    h = await startHarness();
    h.fake.fail({ method: 'POST', path: /^\/interactions\/.+\/callback$/, status: 404, times: 2 });
    const refused = sendCommand(h.fake, 'help');
    // Both refusals go to this interaction (its reply, then the handler's fallback reply):
    // the next command's defer must not meet the second one.
    await h.fake.recorder.waitForCount(
      (r) => r.path === `/interactions/${refused.id}/${refused.token}/callback` && r.status === 404,
      2,
    );
    h.fake.fail({ method: 'PATCH', path: /\/messages\/@original$/, status: 404 });
    const edited = sendCommand(h.fake, 'search', { query: 'robotics' });
    await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(edited.token));
    // A later answer proves the failures above were handled, and their lines written.
    await answerTo(h.fake, sendCommand(h.fake, 'help'));
    const log = h.logs.join('');
    expect(log).toContain('Discord interaction failed');
    expect(log).toContain(`/interactions/${refused.id}/[redacted]/callback`);
    expect(log).toContain('/webhooks/');
    expect(hits(log, [refused.token, edited.token, TOKEN])).toEqual([]);
  });
});

describe('Slack: response_urls and tokens stay out of the log', () => {
  it('a response_url that refuses the answer is logged without its secret path', async () => {
    const fake = await startFakeSlack();
    const log = watchedLog();
    const shared = await createTestBot(log.logger);
    const slack = await startSlackBot('http', fake, shared, log.logger);
    try {
      const secretPath = 'commands/T0001/4242/RESPONSEURLSECRET';
      // Not served by the fake: respond() gets a 404, as from an expired response_url.
      const responseUrl = fake.responseUrl('x').replace(/response\/x$/, secretPath);
      const hooksUrl = 'https://hooks.slack.com/services/T0001/B0001/HOOKSECRET';
      const res = await signedPost({
        url: slack.eventsUrl,
        signingSecret: SIGNING_SECRET,
        body: slashCommandBody({ text: `search ${hooksUrl}`, responseUrl }),
      });
      expect(res.status).toBe(200);
      await log.waitFor('Slack respond() failed');
      expect(
        hits(log.text(), ['RESPONSEURLSECRET', 'HOOKSECRET', BOT_TOKEN, SIGNING_SECRET]),
      ).toEqual([]);
    } finally {
      await slack.stop();
      await shared.bot.close();
      await fake.close();
    }
  });
});
