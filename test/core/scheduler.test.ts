import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import {
  dueDigest,
  localDate,
  nextDigestAt,
  sourceDue,
  startScheduler,
} from '../../src/core/scheduler.js';
import type { Channel, Schedule } from '../../src/core/store/store.js';

const berlin: Schedule = { time: '09:00', timeZone: 'Europe/Berlin', days: 'every', size: 10 };
const newYork: Schedule = { time: '09:00', timeZone: 'America/New_York', days: 'every', size: 10 };

function iso(d: Date): string {
  return d.toISOString();
}

function channel(over: Partial<Channel> = {}): Channel {
  return {
    ref: { platform: 'fake', workspace: 'w', channel: 'c' },
    schedule: berlin,
    scheduleSetAt: '2026-03-01T00:00:00.000Z',
    paused: false,
    lastDigestAt: null,
    failure: null,
    options: {},
    ...over,
  };
}

describe('nextDigestAt', () => {
  it('fires at the local time, later the same day or the next day', () => {
    const utc: Schedule = { ...berlin, timeZone: 'UTC' };
    expect(iso(nextDigestAt(utc, new Date('2026-06-10T08:00:00Z')))).toBe(
      '2026-06-10T09:00:00.000Z',
    );
    expect(iso(nextDigestAt(utc, new Date('2026-06-10T09:00:00Z')))).toBe(
      '2026-06-11T09:00:00.000Z',
    );
  });

  it('follows two time zones across their (different) DST changes', () => {
    // Europe switches on 29 March 2026, the US on 8 March 2026.
    const berlinSlots: string[] = [];
    const nySlots: string[] = [];
    let b = new Date('2026-03-27T12:00:00Z');
    let n = new Date('2026-03-06T18:00:00Z');
    for (let i = 0; i < 3; i++) {
      b = nextDigestAt(berlin, b);
      n = nextDigestAt(newYork, n);
      berlinSlots.push(iso(b));
      nySlots.push(iso(n));
    }
    expect(berlinSlots).toEqual([
      '2026-03-28T08:00:00.000Z', // CET, UTC+1
      '2026-03-29T07:00:00.000Z', // CEST, UTC+2
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(nySlots).toEqual([
      '2026-03-07T14:00:00.000Z', // EST, UTC-5
      '2026-03-08T13:00:00.000Z', // EDT, UTC-4
      '2026-03-09T13:00:00.000Z',
    ]);
    // And back in autumn.
    expect(iso(nextDigestAt(berlin, new Date('2026-10-25T00:00:00Z')))).toBe(
      '2026-10-25T08:00:00.000Z',
    );
    expect(iso(nextDigestAt(newYork, new Date('2026-11-01T00:00:00Z')))).toBe(
      '2026-11-01T14:00:00.000Z',
    );
  });

  it('fires a time inside the DST gap at the next valid minute', () => {
    const gap: Schedule = { ...berlin, time: '02:30' };
    // 02:00 → 03:00 on 29 March 2026 in Berlin: 02:30 does not exist; 03:00 CEST = 01:00Z.
    expect(iso(nextDigestAt(gap, new Date('2026-03-28T12:00:00Z')))).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(iso(nextDigestAt(gap, new Date('2026-03-29T01:00:00Z')))).toBe(
      '2026-03-30T00:30:00.000Z',
    );
  });

  it('fires a repeated local time once', () => {
    const repeated: Schedule = { ...newYork, time: '01:30' };
    // 1 Nov 2026: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z); only the first fires.
    const first = nextDigestAt(repeated, new Date('2026-10-31T12:00:00Z'));
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z');
    const second = nextDigestAt(repeated, first);
    expect(iso(second)).toBe('2026-11-02T06:30:00.000Z');
  });

  it('skips weekends for a weekdays schedule', () => {
    const weekdays: Schedule = { ...berlin, days: 'weekdays' };
    // Friday 12 June 2026 after the digest → Monday 15 June.
    expect(iso(nextDigestAt(weekdays, new Date('2026-06-12T10:00:00Z')))).toBe(
      '2026-06-15T07:00:00.000Z',
    );
  });
});

describe('dueDigest', () => {
  const options = {
    defaultSchedule: { ...berlin, timeZone: 'UTC' },
    startedAt: new Date('2026-06-01T00:00:00Z'),
  };

  it('is due once the slot passed, then not until the next slot', () => {
    const c = channel({ lastDigestAt: '2026-06-09T07:00:00.000Z' });
    expect(dueDigest(c, new Date('2026-06-10T06:59:00Z'), options)).toBeNull();
    const due = dueDigest(c, new Date('2026-06-10T07:00:00Z'), options);
    expect(due).toMatchObject({ digestDate: '2026-06-10', missed: 1 });
    expect(iso(due!.since)).toBe('2026-06-09T07:00:00.000Z');
    const after = channel({ lastDigestAt: '2026-06-10T07:00:30.000Z' });
    expect(dueDigest(after, new Date('2026-06-10T23:00:00Z'), options)).toBeNull();
  });

  it('after a 3-day downtime makes one catch-up digest, not one per missed day', () => {
    const c = channel({ lastDigestAt: '2026-06-07T07:00:00.000Z' });
    const now = new Date('2026-06-10T11:00:00Z');
    const due = dueDigest(c, now, options);
    expect(due).toMatchObject({ digestDate: '2026-06-10', missed: 3 });
    expect(iso(due!.slot)).toBe('2026-06-10T07:00:00.000Z');
    // Once posted, nothing more is due that day: the other missed days are not replayed.
    expect(
      dueDigest({ ...c, lastDigestAt: iso(now) }, new Date('2026-06-10T23:59:00Z'), options),
    ).toBeNull();
  });

  it('looks back at most 24 h for a first digest, skips paused channels, keeps refused ones due', () => {
    const c = channel({ scheduleSetAt: '2026-05-01T00:00:00.000Z' });
    const now = new Date('2026-06-10T07:30:00Z');
    const due = dueDigest(c, now, options);
    expect(iso(due!.since)).toBe('2026-06-09T07:30:00.000Z');
    expect(dueDigest({ ...c, paused: true }, now, options)).toBeNull();
    // A refusal is retried at each due time (issue 11): the mark never stops a channel.
    expect(dueDigest({ ...c, failure: { reason: 'gone', at: iso(now) } }, now, options)).toEqual(
      due,
    );
  });

  it('uses the default schedule and the start time for a channel with neither', () => {
    const c = channel({ schedule: null, scheduleSetAt: null });
    expect(dueDigest(c, new Date('2026-06-01T08:59:00Z'), options)).toBeNull();
    expect(dueDigest(c, new Date('2026-06-01T09:00:00Z'), options)?.digestDate).toBe('2026-06-01');
  });

  it('dates the digest in the channel zone', () => {
    expect(localDate('Pacific/Auckland', new Date('2026-06-10T20:00:00Z'))).toBe('2026-06-11');
  });
});

describe('sourceDue', () => {
  it('polls when never run or pollMinutes have passed', () => {
    const now = new Date('2026-06-10T10:00:00Z');
    expect(sourceDue(null, 60, now)).toBe(true);
    expect(sourceDue('2026-06-10T09:30:00Z', 60, now)).toBe(false);
    expect(sourceDue('2026-06-10T09:00:00Z', 60, now)).toBe(true);
  });
});

describe('startScheduler', () => {
  it('runs one tick at a time on the ticker and stops cleanly', async () => {
    const clock = manualClock('2026-06-10T10:00:00Z');
    let fire: () => void = () => {};
    let stopped = false;
    const seen: string[] = [];
    let release: () => void = () => {};
    const scheduler = startScheduler({
      clock,
      logger: silentLogger(),
      ticker: (onTick) => {
        fire = onTick;
        return {
          stop: () => {
            stopped = true;
          },
        };
      },
      onTick: async (now) => {
        seen.push(now.toISOString());
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    fire();
    fire(); // overlapping tick joins the one in progress
    const joined = scheduler.tick();
    release();
    await joined;
    expect(seen).toEqual(['2026-06-10T10:00:00.000Z']);
    clock.advance(60_000);
    const second = scheduler.tick();
    release();
    await second;
    expect(seen).toHaveLength(2);
    await scheduler.stop();
    expect(stopped).toBe(true);
    await scheduler.tick();
    expect(seen).toHaveLength(2);
  });
});
