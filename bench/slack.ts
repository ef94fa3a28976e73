import { performance } from 'node:perf_hooks';
import { renderReply } from '../src/adapters/slack/render-reply.js';
import { createSlackAdapter } from '../src/adapters/slack/slack-adapter.js';
import { runCommand } from '../src/commands/dispatch.js';
import { parseCommandText } from '../src/commands/parse-text.js';
import { startFakeSlack } from '../test/fakes/slack/fake-slack.js';
import { signedPost, slashCommandBody } from '../test/fakes/slack/signed-request.js';
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
const SECRET = 'bench-signing-secret';

/** A realistic mix: word searches, title-fragment shows, latest. */
function commandMix(titles: string[], n: number, seed: number): string[] {
  const random = seededRandom(seed);
  const words = titles.flatMap((t) => t.split(/\s+/).filter((w) => /^[A-Za-z]{5,}$/.test(w)));
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: n }, (_, i) => {
    if (i % 10 === 9) return 'help';
    if (i % 10 === 4) return 'latest 5';
    if (i % 2 === 0) return `search ${pick(words).toLowerCase()} ${pick(words).toLowerCase()}`;
    return `show ${pick(titles).split(/\s+/).slice(0, 4).join(' ')}`;
  });
}

/** `npm run bench -- slack`: signed POST in → respond() body at the fake, at 10,000 papers. */
export async function run(): Promise<void> {
  const { records, config, clock, logger, bot } = await benchBot(PAPERS);

  const fake = await startFakeSlack();
  const adapter = createSlackAdapter({
    secrets: {
      botToken: 'xoxb-bench',
      signingSecret: SECRET,
      appToken: null,
      apiUrl: fake.apiUrl,
      port: 0,
    },
    bot,
    config,
    clock,
    logger,
    host: '127.0.0.1',
  });
  await adapter.start();
  const url = `http://127.0.0.1:${adapter.port}/slack/events`;
  const titles = records.map((r) => r.title);
  const texts = commandMix(titles, WARMUP + COMMANDS, 7);
  // The in-process floor runs different queries of the same mix, so neither side
  // profits from what the other warmed up.
  const floorTexts = commandMix(titles, WARMUP + COMMANDS, 11);

  const endToEnd: number[] = [];
  const inProcess: number[] = [];
  const byKind = new Map<string, { e2e: number[]; floor: number[] }>();
  const ctx = bot.contextFor(
    { platform: 'slack', workspace: 'T0001', channel: 'C0001' },
    { id: 'U0001', canManageChannel: true },
    'channel member',
  );
  try {
    for (const [i, text] of texts.entries()) {
      const id = `bench-${i}`;
      const body = slashCommandBody({ text, responseUrl: fake.responseUrl(id) });
      const start = performance.now();
      const res = await signedPost({ url, signingSecret: SECRET, body });
      if (res.status !== 200) throw new Error(`Bolt answered ${res.status} to "${text}"`);
      await fake.waitFor(() => fake.responsesTo(id)[0], 10_000, `answer to "${text}"`);
      const elapsed = performance.now() - start;

      const floorText = floorTexts[i] ?? text;
      const floorStart = performance.now();
      const parsed = parseCommandText(floorText);
      const reply = 'kind' in parsed ? parsed : await runCommand(parsed, ctx);
      renderReply(reply);
      const floor = performance.now() - floorStart;
      if (i >= WARMUP) {
        endToEnd.push(elapsed);
        inProcess.push(floor);
        const kind = text.split(' ')[0] ?? '';
        const entry = byKind.get(kind) ?? { e2e: [], floor: [] };
        entry.e2e.push(elapsed);
        entry.floor.push(floor);
        byKind.set(kind, entry);
      }
    }
  } finally {
    await adapter.stop();
    await bot.close();
    await fake.close();
  }

  const e2e = latencySummary(endToEnd);
  const floor = latencySummary(inProcess);
  const rows: Array<[string, LatencySummary]> = [
    ['signed POST → respond() at fake', e2e],
    ['in-process parse + run + render', floor],
  ];
  rows.push(...perCommandRows(byKind));
  printLatencyTable(
    `Slack /papers latency at ${PAPERS.toLocaleString('en-US')} papers, ${COMMANDS} commands (ms)`,
    rows,
    e2e,
    25,
  );
  writeBenchResults('slack', {
    papers: PAPERS,
    commands: COMMANDS,
    endToEndMs: e2e,
    inProcessMs: floor,
    byCommand: perCommandResults(byKind),
    targetP95Ms: 25,
    met: e2e.p95 <= 25,
  });
}
