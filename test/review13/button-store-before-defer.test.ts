import { afterEach, describe, expect, it } from 'vitest';
import { answerTo, failOnCrash, type Harness, startHarness } from '../adapters/discord/harness.js';
import { sendCommand, sendComponent } from '../fakes/discord/interactions.js';

failOnCrash();

/**
 * Review 13 (issue point 1: "Discord: defer before any store work unless the answer is
 * already in hand"): a paging button whose request was parked (`pk:` custom_id, any request
 * over 100 characters) reads the store (`decodePageCustomId` → `getState`) before the
 * interaction is deferred, in the gateway adapter and in the HTTP adapter alike. On
 * PostgreSQL that read waits for a pool connection (up to connectionTimeoutMillis, 10 s, when
 * the server is slow, restarting or the pool is busy with a digest tick): the click's 3 s go
 * by with nothing sent and Discord shows "This interaction failed".
 */
describe('review13: a parked paging button is acknowledged before its store read', () => {
  let h: Harness;
  let release: () => void = () => undefined;
  afterEach(async () => {
    release();
    await h?.close();
  });

  it('defers the click while the store is still answering', async () => {
    h = await startHarness();
    const longQuery = Array.from({ length: 30 }, () => 'model').join(' ');
    const first = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: longQuery }));
    const next = (first.message.components?.[0]?.components ?? []).find((b: { label: string }) =>
      b.label.startsWith('Next'),
    );
    expect(next?.custom_id.startsWith('pk:')).toBe(true);

    // From here the store answers late (a slow or saturated PostgreSQL pool).
    const store = h.bot.store as unknown as Record<string, unknown>;
    const getState = h.bot.store.getState;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.getState = async (key: string) => {
      await gate;
      return getState(key);
    };
    const click = sendComponent(h.fake, next.custom_id, { id: '1', ...first.message });
    const callback = await h.fake
      .waitFor(
        (r) =>
          r.method === 'POST' && r.path === `/interactions/${click.id}/${click.token}/callback`,
        2500,
      )
      .then(
        (r) => r.body.type as number,
        () => 'no acknowledgement while the store read was pending',
      );
    release();
    expect(callback).toBe(6);
  });
});
