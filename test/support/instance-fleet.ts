import { type ChildProcess, spawn } from 'node:child_process';
import type { ChannelRef } from '../../src/core/store/store.js';
import { keyPair } from '../adapters/discord-http/harness.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/fake-slack.js';
import { childEnv, watch } from '../live/child-process.js';
import { ROOT } from '../live/harness.js';

/** Guilds the Discord bot is in. */
const GUILDS = ['710000000000000001', '710000000000000002', '710000000000000003'];
/**
 * Workspaces of one org-wide Slack app (an Enterprise Grid install): one bot token, channel
 * ids unique across the organisation, the team id on each channel as its commands carry it.
 */
const WORKSPACES = ['T0001', 'T0002', 'T0003'];

/** `count` channels, half on Discord and half on Slack, spread over the guilds and workspaces. */
export function fleetChannels(count: number): ChannelRef[] {
  return Array.from({ length: count }, (_, i): ChannelRef => {
    const n = Math.floor(i / 2);
    return i % 2 === 0
      ? {
          platform: 'discord',
          workspace: GUILDS[n % GUILDS.length]!,
          channel: String(1_100_000_000_000_000_000n + BigInt(n)),
        }
      : {
          platform: 'slack',
          workspace: WORKSPACES[n % WORKSPACES.length]!,
          channel: `C${String(n).padStart(8, '0')}`,
        };
  });
}

/** A digest message as the platform shows it: its id there and the delivery id it carries. */
export interface ShownDigest {
  id: string;
  deliveryId: string | null;
}

/** The fake Discord and Slack, with the fleet's Discord channels created in their guilds. */
export class FakePlatforms {
  private constructor(
    readonly discord: FakeDiscord,
    readonly slack: FakeSlack,
    /** The Discord application's public key (interactions are verified with it). */
    readonly publicKeyHex: string,
  ) {}

  /** `now`: the platforms' time (Slack stamps messages with it), the instances' simulated clock. */
  static async start(channels: ChannelRef[], now: () => number): Promise<FakePlatforms> {
    const discord = await startFakeDiscord({ guildId: GUILDS[0] });
    const slack = await startFakeSlack({ teamId: WORKSPACES[0], now });
    for (const ref of channels)
      if (ref.platform === 'discord')
        discord.addTextChannel(ref.channel, `papers-${ref.channel.slice(-4)}`, ref.workspace);
    return new FakePlatforms(discord, slack, keyPair().publicKeyHex);
  }

  /** What an instance needs to reach them. */
  env(): Record<string, string> {
    return {
      CHILD_DISCORD_API_URL: this.discord.apiUrl,
      CHILD_DISCORD_APPLICATION_ID: this.discord.applicationId,
      CHILD_DISCORD_PUBLIC_KEY: this.publicKeyHex,
      CHILD_SLACK_API_URL: this.slack.apiUrl,
    };
  }

  /** Every message in the channel, as the platform keeps it (a Discord footer or Slack metadata names the delivery). */
  shown(ref: ChannelRef): ShownDigest[] {
    if (ref.platform === 'discord') {
      return this.discord.messages(ref.channel).map((m) => {
        const embeds = (m.embeds ?? []) as Array<{ footer?: { text?: string } }>;
        const footer = embeds[0]?.footer?.text ?? '';
        return { id: String(m.id), deliveryId: /delivery (\S+)/.exec(footer)?.[1] ?? null };
      });
    }
    return this.slack.messages
      .filter((m) => m.channel === ref.channel && !m.ephemeral)
      .map((m) => ({
        id: m.ts,
        deliveryId: (m.metadata?.event_payload.delivery_id as string | undefined) ?? null,
      }));
  }

  /** History reads of the channel: the adapters' look-ups for a delivery. */
  lookups(ref: ChannelRef): number {
    if (ref.platform === 'discord')
      return this.discord.requests.filter(
        (r) => r.method === 'GET' && r.path === `/channels/${ref.channel}/messages`,
      ).length;
    return this.slack
      .callsOf('conversations.history')
      .filter((c) => c.params.channel === ref.channel).length;
  }

  async close(): Promise<void> {
    await this.discord.close();
    await this.slack.close();
  }
}

export interface Instance {
  child: ChildProcess;
  out: ReturnType<typeof watch>;
  exited: Promise<unknown>;
}

/** One bot instance (test/live/instance-child.ts) in its own node process. */
export function spawnInstance(env: Record<string, string>): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/live/instance-child.ts'], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { child, out: watch(child), exited: new Promise((r) => child.once('exit', r)) };
}
