import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { decodePageCustomId, pageCustomId } from '../../../src/adapters/discord/paging.js';
import { PendingState } from '../../../src/core/store/pending-state.js';
import { sendCommand, sendComponent } from '../../fakes/discord/interactions.js';
import {
  type Answer,
  answerTo,
  EPHEMERAL,
  failOnCrash,
  type Harness,
  startHarness,
} from './harness.js';

failOnCrash();

function nextButton(answer: Answer): { custom_id: string; label: string } {
  const buttons = answer.message.components?.[0]?.components ?? [];
  const next = buttons.find((b: { label: string }) => b.label.startsWith('Next'));
  if (!next) throw new Error(`no Next button in ${JSON.stringify(answer.message.components)}`);
  return next;
}

describe('Discord paging buttons', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('a Next button returns page 2 by editing the message', async () => {
    h = await startHarness();
    const first = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: 'model' }));
    expect(first.message.embeds[0].footer.text).toMatch(/^Page 1\/\d+/);
    const next = nextButton(first);
    expect(next.custom_id.length).toBeLessThanOrEqual(100);
    const second = await answerTo(
      h.fake,
      sendComponent(h.fake, next.custom_id, { id: '1', ...first.message }),
    );
    // Deferred before the search runs (type 6), then the message edited in place.
    expect(second.callbackType).toBe(6);
    expect(second.via).toBe('edit');
    expect(second.message.embeds[0].footer.text).toMatch(/^Page 2\/\d+/);
    expect(second.message.embeds[0].description).not.toBe(first.message.embeds[0].description);
    const prev = second.message.components[0].components.map((b: { label: string }) => b.label);
    expect(prev).toContain('◀ Previous');
    expect(h.seen.at(-1)?.call).toEqual({ name: 'search', options: { query: 'model', page: 2 } });
  });

  it('buttons still work after the bot restarts, inline and stored state alike', async () => {
    h = await startHarness({ onDisk: true });
    const short = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: 'model' }));
    const longQuery = Array.from({ length: 30 }, () => 'model').join(' ');
    const long = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: longQuery }));
    const shortId = nextButton(short).custom_id;
    const longId = nextButton(long).custom_id;
    expect(shortId.startsWith('pg:')).toBe(true);
    expect(longId.startsWith('pk:')).toBe(true);
    expect(longId.length).toBeLessThanOrEqual(100);

    await h.restart();
    expect(h.fake.identifies).toBe(2);

    const a = await answerTo(h.fake, sendComponent(h.fake, shortId, { id: '1', ...short.message }));
    expect(a.message.embeds[0].footer.text).toMatch(/^Page 2\//);
    const b = await answerTo(h.fake, sendComponent(h.fake, longId, { id: '2', ...long.message }));
    expect(b.callbackType).toBe(6);
    expect(b.via).toBe('edit');
    expect(b.message.embeds[0].footer.text).toMatch(/^Page 2\//);
    expect(h.seen.at(-1)?.call.options.query).toBe(longQuery);
  });

  it('a button whose stored state is gone is answered ephemerally, not crashed on', async () => {
    h = await startHarness();
    const gone = await answerTo(
      h.fake,
      sendComponent(h.fake, 'pk:doesnotexist', { id: '1', embeds: [] }),
    );
    // Deferred before its parked request is read (issue 13), then told privately.
    expect(gone.callbackType).toBe(6);
    expect(gone.via).toBe('followup');
    expect(gone.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(gone.message.embeds[0].description).toMatch(/expired/);
  });

  it('custom ids round-trip, with integers typed back from the spec', async () => {
    h = await startHarness();
    const now = h.clock.now();
    const pages = new PendingState(h.bot.store, () => now);
    const request = { command: 'search', args: { query: 'a&b=c', since: '2024-01-01' }, page: 3 };
    const requestId = pageCustomId(request, pages);
    const latest = { command: 'latest', args: { count: 5 }, page: 2 };
    const latestId = pageCustomId(latest, pages);
    await pages.save();
    expect(await decodePageCustomId(requestId, h.bot.store)).toEqual(request);
    expect(await decodePageCustomId(latestId, h.bot.store)).toEqual(latest);
    expect(await decodePageCustomId('something-else', h.bot.store)).toBeNull();
  });
});

describe('Discord paging: store faults after the defer', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('a Next button that cannot be parked is answered with the store error, logged with its cause', async () => {
    h = await startHarness();
    (h.bot.store as unknown as Record<string, unknown>).putState = async () => {
      throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
    };
    const longQuery = Array.from({ length: 30 }, () => 'model').join(' ');
    const answer = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: longQuery }));
    expect(answer.callbackType).toBe(5);
    expect(answer.via).toBe('followup');
    expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.message.embeds[0].description).toMatch(/database could not complete/);
    const line = h.logs.find((l) => l.includes('Discord interaction failed')) ?? '';
    expect(line).toContain('STORE_FAILED');
    expect(line).toContain('SQLITE_FULL');
  });
});
