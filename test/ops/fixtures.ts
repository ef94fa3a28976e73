import { PassThrough } from 'node:stream';
import { ShellAdapter } from '../../src/adapters/shell/shell-adapter.js';
import type { Bot } from '../../src/app.js';
import { SHELL_CHANNEL } from '../../src/core/store/store.js';

/** The environment for a child process: no real platform or Paperboy variables, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)),
  );
  return { ...base, ...extra };
}

/** The terminal adapter over a bot, fed by `runLine` (no stdin). */
export function terminalShell(bot: Bot): ShellAdapter {
  return new ShellAdapter({
    input: new PassThrough(),
    output: new PassThrough(),
    interactive: false,
    color: false,
    context: () => bot.contextFor(SHELL_CHANNEL, { id: 'local', canManageChannel: true }, 'x'),
  });
}
