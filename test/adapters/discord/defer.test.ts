import { afterEach, describe, expect, it, vi } from 'vitest';
import { within } from '../../../src/adapters/discord/interaction-handler.js';
import type { Reply } from '../../../src/commands/reply.js';

describe('deferring slow answers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up waiting after the defer delay, so the interaction can be deferred in time', async () => {
    vi.useFakeTimers();
    const never = new Promise<Reply>(() => {});
    const waiting = within(never, 1500);
    await vi.advanceTimersByTimeAsync(1499);
    let settled = false;
    void waiting.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toBeNull();
  });

  it('hands over a quick reply and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const reply: Reply = { kind: 'notice', lines: ['ok'] };
    expect(await within(Promise.resolve(reply), 1500)).toBe(reply);
    expect(vi.getTimerCount()).toBe(0);
  });
});
