import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ShellAdapter } from '../src/adapters/shell/shell-adapter.js';
import type { Bot } from '../src/app.js';
import type { Config } from '../src/config.js';
import { SHELL_CHANNEL } from '../src/core/store/store.js';
import type { Live } from '../src/runtime/live.js';
import { FeedServer } from './live/feed-server.js';
import { fixture, memoryBot, startTestLive, testConfig, testTime } from './live/harness.js';

describe('--live in the terminal', () => {
  let server: FeedServer;
  let bot: Bot;
  let live: Live;
  afterEach(async () => {
    await live?.stop();
    await bot?.close();
    await server?.close();
  });

  it('prints the terminal channel’s digest when it is due, from a local fake source', async () => {
    const time = testTime('2026-06-10T08:30:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    server.answer('/api/daily_papers', { body: fixture('hf-day1.json') });
    const base = testConfig(server.baseUrl);
    const config = {
      ...base,
      sources: { ...base.sources, arxiv: { ...base.sources.arxiv, enabled: false } },
      digest: { ...base.digest, time: '09:00', timeZone: 'UTC' },
    } as Config;
    bot = await memoryBot(config, time.clock);
    /** A terminal on a fresh output, run live on the bot's store; returns what it printed so far. */
    const startTerminal = () => {
      const output = new PassThrough();
      let printed = '';
      output.on('data', (chunk: Buffer) => {
        printed += chunk.toString('utf8');
      });
      const shell = new ShellAdapter({
        input: new PassThrough(),
        output,
        interactive: false,
        color: false,
        width: 80,
        historyFile: null,
        context: () =>
          bot.contextFor(SHELL_CHANNEL, { id: 'local', canManageChannel: true }, 'terminal user'),
      });
      live = startTestLive(bot, config, time, new Map([['shell' as const, shell]]), {
        includeShell: true,
      });
      return () => printed;
    };
    const printed = startTerminal();
    await live.tick();
    expect(printed()).toBe('');
    time.clock.set('2026-06-10T09:00:00Z');
    await live.tick();
    expect(printed()).toContain('Paper digest 2026-06-10');
    expect(printed()).toContain('Self-Verifying Reasoning with ∞-Step Search');
    expect(printed()).toContain('Dexterous Robot Grasping with Tactile Diffusion Policies');
    const before = printed();
    time.clock.advance(30 * 60_000);
    await live.tick();
    expect(printed()).toBe(before);

    // The terminal cannot read its output back: a printed digest is completed in its run
    // at once, so a restart (a new terminal, the same store) prints nothing again.
    const runs = await bot.store.recentDigestRuns(SHELL_CHANNEL, 5);
    expect(runs.map((r) => r.state)).toEqual(['posted']);
    const parts = runs.flatMap((r) => r.parts);
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((p) => p.messageId?.startsWith('shell-'))).toBe(true);
    await live.stop();
    const reprinted = startTerminal();
    await live.tick();
    expect(reprinted()).toBe('');
  });
});
