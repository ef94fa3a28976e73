import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLine } from '../../src/adapters/shell/complete.js';
import { autocomplete } from '../../src/commands/autocomplete.js';
import type { CommandContext } from '../../src/commands/context.js';
import { memoryBot } from '../commands/bot-fixture.js';

/**
 * Re-review 13 (review13 finding 7's fix, a385a69): a fault while suggesting answers one
 * choice whose name says what failed and whose value is what was typed, "so picking it
 * changes nothing". With nothing typed the value is the name itself (Discord refuses an
 * empty value). The terminal's Tab completion (src/adapters/shell/complete.ts) turns choices
 * into candidates by their *value*, and readline inserts a lone candidate into the line:
 * `unsubscribe topic:` + Tab during a store fault writes the error text into the command as
 * the topic to unsubscribe, and a prefix that was typed completes to itself, so the terminal
 * shows nothing of the fault at all. (On Discord, picking the blank-prefix choice submits the
 * error text as the topic too.)
 */
let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
});

function faultyContext(): CommandContext {
  const store = new Proxy(fixture.bot.store, {
    get(target, key, receiver) {
      if (key === 'listSubscriptions')
        return async () => {
          throw new BetterSqlite3.SqliteError('disk I/O error', 'SQLITE_IOERR');
        };
      return Reflect.get(target, key, receiver);
    },
  });
  return fixture.context({ store: store as never });
}

describe('rereview13: the fault choice in the terminal completion', () => {
  it('Tab after `unsubscribe topic:` never puts the error text into the command line', async () => {
    const ctx = faultyContext();
    // As ShellAdapter.start binds it.
    const values = (sub: string, option: string, prefix: string) =>
      autocomplete(sub, option, prefix, ctx);
    const [candidates] = await completeLine('unsubscribe topic:', values);
    // readline completes a lone candidate into the line as is.
    const inserted = candidates.length === 1 ? candidates[0] : null;
    expect(inserted ?? '').not.toMatch(/could not be looked up/);
  });
});
