import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { commandInteraction, componentInteraction } from '../../fakes/discord/interactions.js';
import { EPHEMERAL, failOnCrash } from '../discord/harness.js';
import { answerOverHttp, type HttpHarness, startHttpHarness } from './harness.js';

failOnCrash();

/** 30 words: the inline custom_id of its Next button would pass 100 characters, so it is parked. */
const LONG_QUERY = Array.from({ length: 30 }, () => 'model').join(' ');

function diskFull(): never {
  throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
}

describe('Discord over HTTP: parked paging requests and store faults', () => {
  let h: HttpHarness;
  let release: () => void = () => undefined;
  afterEach(async () => {
    release();
    await h?.close();
  });

  it('a store fault while parking the Next button answers with the store error, logged', async () => {
    h = await startHttpHarness();
    (h.bot.store as unknown as Record<string, unknown>).putState = async () => diskFull();
    const answer = await answerOverHttp(
      h,
      commandInteraction(h.fake, 'search', { query: LONG_QUERY }),
    );
    expect(h.seen.at(-1)?.reply.kind).toBe('list');
    expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.message.embeds[0].description).toMatch(/database could not complete/);
    const line = await h.waitForLog('Discord interaction failed');
    expect(line).toContain('STORE_FAILED');
    expect(line).toContain('SQLITE_FULL');
  });

  it('the same fault after a deferral is edited into the deferred answer', async () => {
    h = await startHttpHarness({ adapter: { deferSubcommands: ['search'] } });
    (h.bot.store as unknown as Record<string, unknown>).putState = async () => diskFull();
    const answer = await answerOverHttp(
      h,
      commandInteraction(h.fake, 'search', { query: LONG_QUERY }),
    );
    expect(answer.callbackType).toBe(5);
    expect(answer.via).toBe('followup');
    expect(answer.message.embeds[0].description).toMatch(/database could not complete/);
  });

  it('a parked Next button is deferred before its request is read from the store', async () => {
    h = await startHttpHarness();
    const first = await answerOverHttp(
      h,
      commandInteraction(h.fake, 'search', { query: LONG_QUERY }),
    );
    const buttons = first.message.components?.[0]?.components ?? [];
    const next = buttons.find((b: { label: string }) => b.label.startsWith('Next'));
    expect(next?.custom_id.startsWith('pk:')).toBe(true);

    const store = h.bot.store as unknown as Record<string, unknown>;
    const getState = h.bot.store.getState;
    let reads = 0;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.getState = async (key: string) => {
      reads += 1;
      await gate;
      return getState(key);
    };
    const click = componentInteraction(h.fake, next.custom_id, { id: '1', ...first.message });
    // The HTTP response (the acknowledgement) is sent while the read is still waiting.
    const response = await h.post(JSON.stringify(click.payload));
    expect(response.body.type).toBe(6);
    release();
    const edit = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(click.token));
    expect(reads).toBe(1);
    expect(edit.body.embeds[0].footer.text).toMatch(/^Page 2\/\d+/);
  });
});
