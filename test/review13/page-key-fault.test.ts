import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { answerTo, failOnCrash, type Harness, startHarness } from '../adapters/discord/harness.js';
import { sendCommand } from '../fakes/discord/interactions.js';

failOnCrash();

/**
 * Review 13: a command whose answer carries a paging button too long for a custom_id parks the
 * request in the store (`PendingState.save`) after the defer. A store fault there (disk full,
 * I/O error, a PostgreSQL blip, or a busy wait past 5 s) escapes `runCommand`'s boundary: the
 * adapter logs it and, the interaction being deferred, answers nothing. The user is left with
 * "Paperboy is thinking…" until Discord gives up; the issue's "a fault gives a specific error
 * reply" is not kept on this path.
 */
describe('review13: a store fault while parking a page key still answers the user', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('a long search whose Next button cannot be parked gets an answer (edit or follow-up)', async () => {
    h = await startHarness();
    // Break only the write that parks the long paging request.
    const store = h.bot.store as unknown as Record<string, unknown>;
    store.putState = async () => {
      throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
    };
    // 30 words: the inline custom_id would exceed 100 characters, so the request is parked.
    const longQuery = Array.from({ length: 30 }, () => 'model').join(' ');
    const sent = sendCommand(h.fake, 'search', { query: longQuery });
    // The command itself ran and produced a page of results.
    const answer = await answerTo(h.fake, sent, 4000).catch((error: unknown) => {
      const failed = h.logs.some((l) => l.includes('Discord interaction failed'));
      return { lost: true, failed, error: String(error) };
    });
    expect(h.seen.at(-1)?.reply.kind).toBe('list');
    expect(answer).not.toHaveProperty('lost');
  });
});
