import { afterEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/core/errors.js';
import { answerTo, failOnCrash, type Harness, startHarness } from '../adapters/discord/harness.js';
import { sendAutocomplete } from '../fakes/discord/interactions.js';

failOnCrash();

/**
 * Review 13 (issue point 5, errors are errors): the inner catch-all left `suggest`, but
 * `autocomplete()` (src/commands/autocomplete.ts) still catches everything and answers `[]`.
 * A database fault while typing `/papers show paper:` reaches the user exactly as "no paper
 * matches" (Discord: "No options match your search"), which is what the issue reported
 * for `suggest`. Only a warn line in the log tells them apart.
 */
describe('review13: autocomplete when the store fails', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('does not answer a store fault with the empty list that means "no match"', async () => {
    h = await startHarness();
    const search = h.bot.search as unknown as Record<string, unknown>;
    search.suggest = async () => {
      throw new PaperboyError('STORE_FAILED', 'Search could not read the paper index. Try again.');
    };
    const answer = await answerTo(
      h.fake,
      sendAutocomplete(h.fake, 'show', 'paper', { paper: 'CycleQ' }),
    );
    expect(answer.callbackType).toBe(8);
    const choices = answer.message.choices as Array<{ name: string; value: string }>;
    // Discord shows an empty list as "No options match your search".
    expect(choices.length).toBeGreaterThan(0);
  });
});
