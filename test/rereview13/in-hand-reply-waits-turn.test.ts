import { afterEach, describe, expect, it } from 'vitest';
import { failOnCrash, type Harness, startHarness } from '../adapters/discord/harness.js';
import { sendCommand } from '../fakes/discord/interactions.js';

failOnCrash();

/**
 * Re-review 13 (src/commands/turns.ts; the queue predates today, today's change makes each
 * turn 32 loop iterations). The gateway adapter answers a reply "in hand" (`replyInHand`:
 * help, built from the spec without the store) at once, without a defer. But `replyInHand`
 * gets help's reply through `runCommand`, which waits for a command turn
 * (`ctx.turns.take()`) like any store command. During a burst (the 1,000 concurrent
 * commands) that turn comes after every command queued before it, their synchronous store
 * work included: `/papers help`, never deferred, is answered past Discord's 3 s ("The
 * application did not respond"), while a `search` sent at the same moment is deferred at once.
 * The queue's late turn is modelled here by a `take` that resolves when the test ends.
 */
describe('rereview13: an in-hand reply does not wait behind queued commands', () => {
  let h: Harness;
  let release: () => void = () => undefined;
  afterEach(async () => {
    release();
    await h?.close();
  });

  it('answers help while the command queue is long; search is deferred meanwhile', async () => {
    h = await startHarness();
    const turns = h.bot.contextFor(
      { platform: 'discord', workspace: h.fake.guildId, channel: h.fake.channels.text },
      { id: 'U1', canManageChannel: true },
      'Manage Channels',
    ).turns;
    expect(turns).toBeDefined();
    const late = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Every command's turn comes late: a long queue ahead of it.
    (turns as unknown as { take: () => Promise<void> }).take = () => late;

    const search = sendCommand(h.fake, 'search', { query: 'diffusion' });
    const help = sendCommand(h.fake, 'help');
    const callback = (id: string, token: string) =>
      h.fake
        .waitFor(
          (r) => r.method === 'POST' && r.path === `/interactions/${id}/${token}/callback`,
          2500,
        )
        .then(
          (r) => `type ${r.body.type}`,
          () => 'no answer within 2.5 s',
        );
    const [searchAnswer, helpAnswer] = await Promise.all([
      callback(search.id, search.token),
      callback(help.id, help.token),
    ]);
    expect(searchAnswer).toBe('type 5');
    expect(helpAnswer).toBe('type 4');
  });
});
