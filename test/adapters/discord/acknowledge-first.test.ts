import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/context.js';
import { runCommand } from '../../../src/commands/dispatch.js';
import type { Reply } from '../../../src/commands/reply.js';
import type { CommandCall } from '../../../src/commands/spec.js';
import { PERMISSIONS, sendCommand } from '../../fakes/discord/interactions.js';
import type { RecordedRequest } from '../../fakes/discord/recorder.js';
import { answerTo, EPHEMERAL, failOnCrash, type Harness, startHarness } from './harness.js';

failOnCrash();

/** A command runner that holds every command until the test lets it go. */
function gatedRunner() {
  const started: Array<{ call: CommandCall; requestsSoFar: RecordedRequest[] }> = [];
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let fake: Harness['fake'] | null = null;
  let announce: () => void = () => {};
  const firstStart = new Promise<void>((resolve) => {
    announce = resolve;
  });
  return {
    started,
    firstStart,
    open: () => open(),
    attach(h: Harness) {
      fake = h.fake;
    },
    run: async (call: CommandCall, ctx: CommandContext): Promise<Reply> => {
      started.push({ call, requestsSoFar: [...(fake?.requests ?? [])] });
      announce();
      await gate;
      return runCommand(call, ctx);
    },
  };
}

const isCallback = (sent: { id: string; token: string }) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/interactions/${sent.id}/${sent.token}/callback`;

describe('Discord: acknowledge first, then work', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('defers before a slow command starts, then edits the deferred reply with its answer', async () => {
    const runner = gatedRunner();
    h = await startHarness({ adapter: { run: runner.run } });
    runner.attach(h);
    const sent = sendCommand(h.fake, 'search', { query: 'robotics' });
    // The defer reaches Discord while the command is still held: it cannot be late.
    const deferred = await h.fake.waitFor(isCallback(sent));
    expect(deferred.body.type).toBe(5);
    await runner.firstStart;
    // Already deferred when the command began: no store work ran before the acknowledgement.
    expect(runner.started[0]?.requestsSoFar.some(isCallback(sent))).toBe(true);
    expect(h.fake.requests.filter((r) => r.path.includes(sent.token))).toHaveLength(1);

    runner.open();
    const answer = await answerTo(h.fake, sent);
    expect(answer).toMatchObject({ callbackType: 5, via: 'edit' });
    expect(answer.message.embeds[0].title).toContain('robotics');
    expect(h.seen.at(-1)?.call).toEqual({ name: 'search', options: { query: 'robotics' } });
  });

  it('an ephemeral answer after the defer replaces the public placeholder with a private follow-up', async () => {
    const runner = gatedRunner();
    h = await startHarness({ adapter: { run: runner.run } });
    runner.attach(h);
    const sent = sendCommand(h.fake, 'show', { paper: 'zzzz no such paper qqqq' });
    await h.fake.waitFor(isCallback(sent));
    runner.open();
    const answer = await answerTo(h.fake, sent);
    expect(answer.via).toBe('followup');
    expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(
      h.fake.requests.some((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original')),
    ).toBe(true);
  });

  it('answers in hand (help, a refusal, an invalid option) go out at once and run nothing', async () => {
    const runner = gatedRunner();
    h = await startHarness({ adapter: { run: runner.run } });
    runner.attach(h);
    const help = await answerTo(h.fake, sendCommand(h.fake, 'help'));
    const refused = await answerTo(
      h.fake,
      sendCommand(h.fake, 'subscribe', { topic: 'robotics' }, { permissions: PERMISSIONS.member }),
    );
    const invalid = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: '' }));
    for (const answer of [help, refused, invalid]) {
      expect(answer).toMatchObject({ callbackType: 4, via: 'callback' });
      expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    }
    expect(runner.started).toEqual([]);
  });
});
