import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/dispatch.js';
import { isPaperboyError } from '../../../src/core/errors.js';
import { memoryBot } from '../../commands/bot-fixture.js';

/** A database fault under search is an error, never "nothing found" or a quiet digest day. */
describe('search faults propagate as STORE_FAILED', () => {
  let fixture: Awaited<ReturnType<typeof memoryBot>>;
  beforeEach(async () => {
    fixture = await memoryBot();
    // The archive's tables vanish under a running bot: every query now fails in SQLite.
    fixture.bot.sqlite!.db.exec('DROP TABLE papers_fts; DROP TABLE papers_titles');
  });
  afterEach(async () => fixture.bot.close());

  const calls: Array<[string, (s: typeof fixture.bot.search) => unknown]> = [
    ['search', (s) => s.search('language models')],
    ['resolve', (s) => s.resolve('language models')],
    ['suggest', (s) => s.suggest('language mo')],
    ['matchTopic', (s) => s.matchTopic('language models', ['2410.07524'])],
    ['countTopicMatches', (s) => s.countTopicMatches('language models', new Date(0))],
  ];

  it.each(calls)('%s throws a coded PaperboyError with the SQLite cause', async (_name, call) => {
    let thrown: unknown = null;
    try {
      await call(fixture.bot.search);
    } catch (error) {
      thrown = error;
    }
    expect(isPaperboyError(thrown, 'STORE_FAILED')).toBe(true);
    expect((thrown as Error).cause).toBeInstanceOf(Error);
  });

  it('search, show and subscribe answer with an error reply, not an empty result', async () => {
    const ctx = fixture.context();
    for (const [name, options] of [
      ['search', { query: 'language models' }],
      ['show', { paper: 'language models' }],
      ['subscribe', { topic: 'language models' }],
    ] as const) {
      const reply = await runCommand({ name, options }, ctx);
      expect(reply).toMatchObject({ kind: 'error', code: 'STORE_FAILED' });
    }
  });
});
