import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pageCustomId } from '../src/adapters/discord/paging.js';
import { createActionCodec } from '../src/adapters/slack/action-values.js';
import type { Bot } from '../src/app.js';
import { EXPIRING_STATE, STATE_TTL_DAYS } from '../src/core/expiring-state.js';
import { silentLogger } from '../src/core/logger.js';
import { validatorsKey } from '../src/core/sources/http.js';
import { PendingState } from '../src/core/store/pending-state.js';
import { startLive } from '../src/runtime/live.js';
import { FakePlatform } from './fakes/platform-poster.js';
import { memoryBot, testConfig, testTime } from './live/harness.js';

const DAY_MS = 86_400_000;
const ROOT = path.resolve(import.meta.dirname, '..');

function keys(bot: Bot): string[] {
  return bot.sqlite!.db.prepare('SELECT key FROM state ORDER BY key').pluck().all() as string[];
}

/** A query too long to be inlined in a button, so its paging request is stored. */
const LONG = `robotics ${'manipulation grasping '.repeat(120)}`;

/** One key of every kind the bot writes, as its writers name them, at the clock's time. */
async function writeEveryKind(bot: Bot, tag: string): Promise<void> {
  const now = bot.clock.now();
  const pages = new PendingState(bot.store, () => now);
  pageCustomId({ command: 'search', page: 2, args: { query: `${tag} ${LONG}` } }, pages);
  await pages.save();
  const codec = createActionCodec(bot.store, bot.clock);
  codec.encode({
    command: 'search',
    options: { query: `${tag} ${LONG}`, page: 2 },
  });
  await codec.save();
  await bot.store.putState(`${EXPIRING_STATE.arxivUnknown}2501.${tag}`, now.toISOString(), now);
  await bot.store.putState(`${EXPIRING_STATE.discordDigestThread}9001:${tag}`, '777', now);
  await bot.store.putState(
    `${EXPIRING_STATE.slackDigestThread}run-${tag}-1`,
    '1700000000.000100',
    now,
  );
  await bot.store.putState(validatorsKey('huggingface', `https://feed.example/${tag}`), '{}', now);
}

describe('the live tick prunes per-message state past its age (injected clock)', () => {
  let bot: Bot | null = null;
  afterEach(async () => {
    await bot?.close();
    bot = null;
  });

  it('keys of every expiring kind go after STATE_TTL_DAYS; fresh ones and health stay', async () => {
    const time = testTime('2026-01-05T08:00:00Z');
    // No source is polled: the tick only prunes and plans (no channel is scheduled).
    const config = testConfig('http://127.0.0.1:9', {
      sources: { huggingface: { enabled: false }, arxiv: { enabled: false } },
    });
    bot = await memoryBot(config, time.clock);
    const live = startLive({
      config,
      store: bot.store,
      search: bot.search,
      adapters: new Map([['fake' as const, new FakePlatform()]]),
      clock: time.clock,
      logger: silentLogger(),
      ticker: () => ({ stop() {} }),
    });
    try {
      await live.tick();
      await writeEveryKind(bot, 'old');
      await bot.store.putState('health-warning:huggingface', 'failing', time.clock.now());
      const written = keys(bot).filter((k) => k !== 'health-warning:huggingface');
      expect(written).toHaveLength(Object.keys(EXPIRING_STATE).length);
      time.clock.advance((STATE_TTL_DAYS - 1) * DAY_MS);
      await live.tick();
      expect(keys(bot)).toEqual([...written, 'health-warning:huggingface'].sort());

      time.clock.advance(2 * DAY_MS);
      await writeEveryKind(bot, 'new');
      const fresh = keys(bot).filter(
        (k) => !written.includes(k) && k !== 'health-warning:huggingface',
      );
      expect(fresh).toHaveLength(written.length);
      await live.tick();
      expect(keys(bot)).toEqual([...fresh, 'health-warning:huggingface'].sort());
    } finally {
      await live.stop();
    }
  });
});

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

describe('every writer of keyed state is known to be pruned or bounded', () => {
  it('lists the files that call putState or replaceState, so a new writer has to be classified here', () => {
    // Directly, or through a PendingState the renderer fills (saved before the message is sent).
    const writers = sources(path.join(ROOT, 'src'))
      .filter((file) => !file.includes(`${path.sep}store${path.sep}`))
      .filter((file) =>
        /\.(putState|replaceState)\(|\bpending\.put\(/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => path.relative(ROOT, file).split(path.sep).join('/'))
      .sort();
    expect(writers).toEqual([
      // discord:digest-thread: (expiring)
      'src/adapters/discord/channel-post.ts',
      // discord:page: (expiring)
      'src/adapters/discord/paging.ts',
      // slack:action: (expiring)
      'src/adapters/slack/action-values.ts',
      // slack:digest-thread: (expiring)
      'src/adapters/slack/slack-poster.ts',
      // health-warning:<source>: one per paper source (bounded)
      'src/core/health.ts',
      // arxiv:unknown: (expiring)
      'src/core/sources/arxiv-lookup.ts',
      // http-validators: (expiring), via validatorsKey
      'src/core/sources/fetch-source.ts',
    ]);
  });
});
