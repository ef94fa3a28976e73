import { performance } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import { createDiscordAdapter } from '../src/adapters/discord/discord-adapter.js';
import { encodePageInline } from '../src/adapters/discord/paging.js';
import { renderReply } from '../src/adapters/discord/render-reply.js';
import { runCommand } from '../src/commands/dispatch.js';
import { startFakeDiscord } from '../test/fakes/discord/fake-discord.js';
import { sendCommand } from '../test/fakes/discord/interactions.js';
import { benchBot } from './bench-bot.js';
import { seededRandom } from './corpus.js';
import {
  type LatencySummary,
  latencySummary,
  perCommandResults,
  perCommandRows,
  printLatencyTable,
} from './latency.js';
import { writeBenchResults } from './results.js';

const PAPERS = 10_000;
const WARMUP = 30;
const COMMANDS = 400;
/**
 * discord.js holds every bot to 50 requests a second (its global limit, applied to
 * interaction callbacks too): commands are paced below it so the figure is latency,
 * not queueing.
 */
const PACE_MS = 25;

type Command =
  | { name: 'search'; options: { query: string } }
  | { name: 'show'; options: { paper: string } };

/** Half word searches, half title-fragment shows, seeded. */
function commandMix(titles: string[], n: number): Command[] {
  const random = seededRandom(7);
  const words = titles.flatMap((t) => t.split(/\s+/).filter((w) => /^[A-Za-z]{5,}$/.test(w)));
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? { name: 'search', options: { query: `${pick(words)} ${pick(words)}`.toLowerCase() } }
      : { name: 'show', options: { paper: pick(titles).split(/\s+/).slice(0, 4).join(' ') } },
  );
}

/** `npm run bench -- discord`: INTERACTION_CREATE in → interaction callback at the fake. */
export async function run(): Promise<void> {
  const { records, config, clock, logger, bot } = await benchBot(PAPERS);

  const fake = await startFakeDiscord();
  const adapter = createDiscordAdapter({
    secrets: {
      token: 'bench-token',
      applicationId: fake.applicationId,
      guildId: null,
      apiUrl: fake.apiUrl,
    },
    config,
    bot,
    clock,
    logger,
  });
  await adapter.start();
  const commands = commandMix(
    records.map((r) => r.title),
    WARMUP + COMMANDS,
  );
  const ctx = bot.contextFor(
    { platform: 'discord', workspace: fake.guildId, channel: fake.channels.text },
    { id: 'bench-user', canManageChannel: true },
    'Manage Channels',
  );
  const byKind = new Map<string, { e2e: number[]; floor: number[] }>();
  try {
    for (const [i, command] of commands.entries()) {
      const start = performance.now();
      const sent = sendCommand(fake, command.name, command.options);
      const callback = `/interactions/${sent.id}/${sent.token}/callback`;
      await fake.waitFor((r) => r.method === 'POST' && r.path === callback, 10_000);
      const elapsed = performance.now() - start;

      const floorStart = performance.now();
      renderReply(await runCommand(command, ctx), { pageId: encodePageInline });
      const floor = performance.now() - floorStart;
      if (i >= WARMUP) {
        const entry = byKind.get(command.name) ?? { e2e: [], floor: [] };
        entry.e2e.push(elapsed);
        entry.floor.push(floor);
        byKind.set(command.name, entry);
      }
      const spent = performance.now() - start;
      if (spent < PACE_MS) await wait(PACE_MS - spent);
    }
  } finally {
    await adapter.stop();
    await bot.close();
    await fake.close();
  }

  const all = [...byKind.values()];
  const e2e = latencySummary(all.flatMap((e) => e.e2e));
  const floor = latencySummary(all.flatMap((e) => e.floor));
  // Per command, what the SDK, the adapter and the loopback add over the commands themselves.
  const overhead = latencySummary(all.flatMap((e) => e.e2e.map((ms, i) => ms - (e.floor[i] ?? 0))));
  const rows: Array<[string, LatencySummary]> = [
    ['interaction in → callback at fake', e2e],
    ['in-process run + render', floor],
    ['overhead (SDK + adapter + loopback)', overhead],
  ];
  rows.push(...perCommandRows(byKind));
  printLatencyTable(
    `Discord /papers latency at ${PAPERS.toLocaleString('en-US')} papers, ${COMMANDS} commands (ms)`,
    rows,
    e2e,
    25,
  );
  writeBenchResults('discord', {
    papers: PAPERS,
    commands: COMMANDS,
    paceMs: PACE_MS,
    endToEndMs: e2e,
    inProcessMs: floor,
    overheadMs: overhead,
    byCommand: perCommandResults(byKind),
    targetP95Ms: 25,
    met: e2e.p95 <= 25,
  });
}
