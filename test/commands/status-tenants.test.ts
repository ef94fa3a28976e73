import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { SHELL_CHANNEL } from '../../src/core/store/store.js';
import { memoryBot } from './bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;

interface Tenant {
  name: string;
  /** Where the caller asks from. */
  caller: ChannelRef;
  /** Every channel of the tenant with a schedule or a failure. */
  channels: ChannelRef[];
}

const discord = (guild: string, channel: string): ChannelRef => ({
  platform: 'discord',
  workspace: guild,
  channel,
});
const slack = (team: string, channel: string): ChannelRef => ({
  platform: 'slack',
  workspace: team,
  channel,
});

const TENANTS: Tenant[] = [
  {
    name: 'guild A',
    caller: discord('G1', 'c1a'),
    channels: [discord('G1', 'c1a'), discord('G1', 'c1b')],
  },
  { name: 'guild B', caller: discord('G2', 'c2a'), channels: [discord('G2', 'c2a')] },
  { name: 'DM of user X', caller: discord('dm', 'dmx'), channels: [discord('dm', 'dmx')] },
  { name: 'DM of user Y', caller: discord('dm', 'dmy'), channels: [discord('dm', 'dmy')] },
  {
    name: 'workspace T1',
    caller: slack('T1', 'C1a'),
    channels: [slack('T1', 'C1a'), slack('T1', 'C1b')],
  },
  { name: 'workspace T2', caller: slack('T2', 'C2a'), channels: [slack('T2', 'C2a')] },
  { name: 'terminal', caller: SHELL_CHANNEL, channels: [SHELL_CHANNEL] },
];

const failing = new Set<ChannelRef>();

/** Unique marks of a channel: its id, and the failure reason when one is recorded for it. */
function marks(ref: ChannelRef): string[] {
  const id = `:${ref.workspace}:${ref.channel}`;
  return failing.has(ref) ? [id, `reason-of-${ref.channel}`] : [id];
}

beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
  const now = fixture.clock.now();
  for (const tenant of TENANTS) {
    for (const [i, ref] of tenant.channels.entries()) {
      await fixture.bot.store.setSchedule(
        ref,
        { time: '09:00', timeZone: 'UTC', days: 'every', size: 5 },
        now,
      );
      // The second channel of a tenant fails to post; the first is scheduled.
      if (i === 1 || tenant.channels.length === 1) {
        await fixture.bot.store.setChannelFailure(ref, `reason-of-${ref.channel}`, now);
        failing.add(ref);
      }
    }
  }
  // Global facts every tenant shares.
  await fixture.bot.store.recordSourceRun({
    source: 'huggingface',
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    ok: true,
    fetched: 1,
    added: 1,
    messages: [],
  });
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('/papers status shows the caller tenant only', () => {
  for (const tenant of TENANTS) {
    it(`${tenant.name}: its own channels and failures, no other tenant's, and the global facts`, async () => {
      const ctx = fixture.bot.contextFor(
        tenant.caller,
        { id: 'U1', canManageChannel: false },
        'Manage Channels',
      );
      const reply = await runCommand({ name: 'status', options: {} }, ctx);
      if (reply.kind !== 'status') throw new Error(`expected status, got ${reply.kind}`);
      const text = JSON.stringify(reply);
      for (const ref of tenant.channels) {
        for (const mark of marks(ref)) expect(text).toContain(mark);
      }
      for (const other of TENANTS.filter((t) => t !== tenant)) {
        for (const ref of other.channels) {
          for (const mark of marks(ref)) expect(text).not.toContain(mark);
        }
      }
      expect(reply.channels).toBe(tenant.channels.length);
      expect(reply.sources.map((s) => s.name)).toContain('huggingface');
      expect(reply.papers).toBe(await fixture.bot.store.countPapers());
    });
  }
});
