import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autocomplete } from '../../src/commands/autocomplete.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { createLogger } from '../../src/core/logger.js';
import { memoryBot } from './bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('autocomplete', () => {
  it('suggests papers by title, with ids as values, within Discord limits', async () => {
    const choices = await autocomplete('show', 'paper', 'Cycle', fixture.context());
    expect(choices.some((c) => c.name.includes('CycleQD'))).toBe(true);
    const all = await autocomplete('show', 'paper', 'skill', fixture.context());
    expect(all.length).toBeGreaterThan(1);
    expect(all.length).toBeLessThanOrEqual(25);
    for (const c of all) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
      expect(await fixture.bot.store.getPaper(c.value)).not.toBeNull();
    }
  });

  it("suggests the channel's own topics for unsubscribe", async () => {
    const ctx = fixture.context();
    for (const topic of ['robotics', 'diffusion models', 'reinforcement learning']) {
      await runCommand({ name: 'subscribe', options: { topic } }, ctx);
    }
    expect(
      (await autocomplete('unsubscribe', 'topic', 'r', ctx)).map((c) => c.value).sort(),
    ).toEqual(['reinforcement learning', 'robotics']);
    expect((await autocomplete('unsubscribe', 'topic', 'model', ctx)).map((c) => c.value)).toEqual([
      'diffusion models',
    ]);
    expect(await autocomplete('unsubscribe', 'topic', '', fixture.context())).toEqual([]);
  });

  it('suggests IANA time zones, starts-with first, at most 25', async () => {
    const berlin = await autocomplete('schedule', 'timezone', 'berl', fixture.context());
    expect(berlin.map((c) => c.value)).toContain('Europe/Berlin');
    expect((await autocomplete('schedule', 'timezone', 'UT', fixture.context()))[0]?.value).toBe(
      'UTC',
    );
    expect(await autocomplete('schedule', 'timezone', 'a', fixture.context())).toHaveLength(25);
  });

  it('offers declared choices and nothing for unknown options', async () => {
    expect(await autocomplete('schedule', 'days', 'w', fixture.context())).toEqual([
      { name: 'weekdays', value: 'weekdays' },
    ]);
    expect(
      (await autocomplete('help', 'subcommand', 'sub', fixture.context())).map((c) => c.value),
    ).toEqual(['subscribe', 'subscriptions', 'unsubscribe']);
    expect(await autocomplete('search', 'nope', 'x', fixture.context())).toEqual([]);
    expect(await autocomplete('nope', 'paper', 'x', fixture.context())).toEqual([]);
  });
});

describe('autocomplete when the store fails', () => {
  it('answers one choice saying the lookup failed, valued as typed, and logs the cause', async () => {
    const lines: string[] = [];
    const destination = {
      write(line: string) {
        lines.push(line);
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const store = new Proxy(fixture.bot.store, {
      get(target, key, receiver) {
        if (key === 'listSubscriptions')
          return async () => {
            throw new BetterSqlite3.SqliteError('disk I/O error', 'SQLITE_IOERR');
          };
        return Reflect.get(target, key, receiver);
      },
    });
    const ctx = fixture.context({
      store: store as never,
      logger: createLogger({ level: 'error', destination }),
    });
    const choices = await autocomplete('unsubscribe', 'topic', 'rob', ctx);
    expect(choices).toEqual([
      {
        name: "This channel's topics could not be looked up right now (STORE_FAILED): try again in a moment.",
        value: 'rob',
        failed: true,
      },
    ]);
    expect(lines.join('')).toContain('SQLITE_IOERR');
    // Nothing typed: the value cannot be empty (Discord refuses it), so the name stands in.
    const [blank] = await autocomplete('unsubscribe', 'topic', '', ctx);
    expect(blank?.value).toBe(blank?.name);
  });
});
