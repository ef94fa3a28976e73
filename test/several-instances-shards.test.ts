import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { answerTo } from './adapters/discord/harness.js';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord/fake-discord.js';
import { guildIdOnShard, shardOf } from './fakes/discord/gateway.js';
import { sendCommand } from './fakes/discord/interactions.js';
import { childEnv } from './live/child-process.js';
import { ROOT } from './live/harness.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.shard-instances-token-0123456789';

let server: TestPostgres;
let url = '';

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('shards');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('two instances over one PostgreSQL store, each running one of 2 gateway shards', () => {
  const children: ChildProcess[] = [];
  let fake: FakeDiscord | undefined;
  let dir = '';
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('npm start with PAPERBOY_DISCORD_SHARDS=0/2 and 1/2: each identifies its shard, answers its guilds from the shared store; stopped, its guilds go quiet', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-shards-'));
    const configFile = path.join(dir, 'config.json');
    // Offline: no feed is polled.
    writeFileSync(configFile, JSON.stringify({ sources: { huggingface: { enabled: false } } }));
    // The store as the instances find it: one paper, written before either starts.
    const seed = await createBot({
      config: loadConfig({ env: {} }),
      clock: manualClock('2026-06-10T08:00:00Z'),
      logger: silentLogger(),
      dataDir: ':memory:',
      databaseUrl: url,
      sampleFile: null,
    });
    await seed.store.upsertPapers(
      [
        {
          arxivId: '2606.00001',
          version: 1,
          title: 'Quokka locomotion on loose sand',
          abstract: 'How quokkas hop on sand, and what legged robots learn from it.',
          authors: ['A. Author'],
          authorCount: 1,
          publishedAt: '2026-06-10',
          source: 'arxiv-rss',
          links: {},
          upvotes: 1,
          comments: null,
          keywords: [],
          categories: ['cs.RO'],
          comment: null,
          observedAt: '2026-06-10T07:00:00.000Z',
        },
      ],
      new Date('2026-06-10T08:00:00Z'),
    );
    await seed.close();

    fake = await startFakeDiscord({ maxConcurrency: 16 });
    const channelOf = [fake.addGuild(guildIdOnShard(0, 2)), fake.channels.text];
    expect(channelOf.map((c) => shardOf(fake?.channel(c)?.guild_id as string, 2))).toEqual([0, 1]);

    const start = (shards: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: ROOT,
        env: childEnv({
          PAPERBOY_CONFIG: configFile,
          PAPERBOY_DATA_DIR: path.join(dir, `data-${shards.replace('/', '-of-')}`),
          PAPERBOY_DATABASE_URL: url,
          PAPERBOY_DISCORD_SHARDS: shards,
          DISCORD_TOKEN: TOKEN,
          DISCORD_APPLICATION_ID: (fake as FakeDiscord).applicationId,
          DISCORD_API_URL: (fake as FakeDiscord).apiUrl,
        }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      return { child, exited: new Promise<number | null>((r) => child.once('exit', r)) };
    };
    // One at a time, so each IDENTIFY is known to be that instance's.
    start('0/2');
    await fake.waitForIdentify(1, 30_000);
    expect(fake.connectedShards).toEqual([[0, 2]]);
    const second = start('1/2');
    await fake.waitForIdentify(2, 30_000);
    expect(fake.connectedShards).toEqual([
      [0, 2],
      [1, 2],
    ]);

    for (const channelId of channelOf) {
      const answer = await answerTo(
        fake,
        sendCommand(fake, 'search', { query: 'quokka locomotion' }, { channelId }),
        15_000,
      );
      expect(JSON.stringify(answer.message)).toContain('Quokka locomotion on loose sand');
    }

    // The instance of shard 1 stops: shard 0's guild is still answered, shard 1's reaches no one.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await fake.waitFor(
      (r) => r.method === 'GATEWAY' && r.path === 'close' && r.body.shard[0] === 1,
    );
    expect(fake.connectedShards).toEqual([[0, 2]]);
    expect(() => sendCommand(fake as FakeDiscord, 'help', {}, { channelId: channelOf[1] })).toThrow(
      /no identified connection/,
    );
    const still = sendCommand(fake, 'search', { query: 'quokka' }, { channelId: channelOf[0] });
    expect((await answerTo(fake, still, 15_000)).callbackType).toBe(5);
  }, 120_000);
});
