import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { localTimeText } from '../../src/commands/status.js';
import { memoryBot } from './bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('status: next digests', () => {
  it("gives each next digest as the channel's local time, with the UTC instant", async () => {
    const berlin = fixture.context();
    const tokyo = fixture.context();
    for (const [ctx, timezone] of [
      [berlin, 'Europe/Berlin'],
      [tokyo, 'Asia/Tokyo'],
    ] as const) {
      const reply = await runCommand(
        { name: 'schedule', options: { time: '09:00', timezone } },
        ctx,
      );
      expect(reply.kind).toBe('notice');
    }
    // The clock reads 2025-12-12 12:00 UTC: 13:00 in Berlin, 21:00 in Tokyo.
    const status = await runCommand({ name: 'status', options: {} }, berlin);
    if (status.kind !== 'status') throw new Error(status.kind);
    expect(status.nextDigests.map(({ at, local }) => ({ at, local }))).toEqual([
      { at: '2025-12-13T00:00:00.000Z', local: '2025-12-13 09:00 Asia/Tokyo' },
      { at: '2025-12-13T08:00:00.000Z', local: '2025-12-13 09:00 Europe/Berlin' },
    ]);
  });

  it('formats midnight and single-digit parts with leading zeros', () => {
    expect(localTimeText(new Date('2026-03-05T23:05:00Z'), 'Europe/Berlin')).toBe(
      '2026-03-06 00:05 Europe/Berlin',
    );
    expect(localTimeText(new Date('2026-07-01T16:30:00Z'), 'America/New_York')).toBe(
      '2026-07-01 12:30 America/New_York',
    );
  });
});
