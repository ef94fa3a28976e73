import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptSafeLog, terminalLogLevel } from '../../../src/adapters/shell/prompt-log.js';
import { ShellAdapter } from '../../../src/adapters/shell/shell-adapter.js';
import { createLogger } from '../../../src/core/logger.js';
import { SHELL_CHANNEL } from '../../../src/core/store/store.js';
import { memoryBot } from '../../commands/bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
});

/** One screen: the REPL's output and the log's stderr interleaved as a terminal shows them. */
function terminal() {
  const changes = new EventEmitter();
  let screen = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      screen += String(chunk);
      changes.emit('change');
      done();
    },
  });
  const until = (test: (text: string) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`screen never matched: ${screen}`)), 5000);
      const check = () => {
        if (!test(screen)) return;
        clearTimeout(timer);
        changes.off('change', check);
        resolve();
      };
      changes.on('change', check);
      check();
    });
  return { stream, screen: () => screen, until };
}

function interactiveShell(screen: Writable, log: PromptSafeLog) {
  const input = new PassThrough();
  const adapter = new ShellAdapter({
    input,
    output: screen,
    interactive: true,
    color: false,
    historyFile: null,
    log,
    context: () =>
      fixture.bot.contextFor(SHELL_CHANNEL, { id: 'local', canManageChannel: true }, 'terminal'),
  });
  return { adapter, input };
}

const CLEAR_LINE = '\x1b[2K';
const ESCAPES = /\x1b\[[0-9;]*[A-Za-z]/g;
/** What the terminal shows, without cursor movements and colours. */
const visible = (text: string) => text.replace(ESCAPES, '');

describe('the terminal stays readable', () => {
  it('a warning while the prompt shows prints above it, and the prompt comes back with what was typed', async () => {
    const term = terminal();
    const log = new PromptSafeLog(term.stream);
    const logger = createLogger({ level: 'warn', pretty: true, destination: log });
    const { adapter, input } = interactiveShell(term.stream, log);
    await adapter.start();
    input.write('sea');
    await term.until((s) => visible(s).includes('papers> sea'));
    const before = term.screen().length;

    logger.warn('source huggingface failing since 09:00');
    const after = term.screen().slice(before);
    const warning = after.indexOf('source huggingface failing since 09:00');
    expect(warning).toBeGreaterThan(-1);
    // The prompt line is cleared before the warning, and redrawn after it with the typed text.
    expect(after.slice(0, warning)).toContain(CLEAR_LINE);
    expect(visible(after.slice(warning))).toMatch(/\n[\s\S]*papers> sea$/);

    input.end('rch robotics\n');
    await adapter.finished;
    expect(term.screen()).toContain('Papers matching');
  });

  it('a digest posted while the prompt shows prints above it, and the prompt comes back with what was typed', async () => {
    const term = terminal();
    const log = new PromptSafeLog(term.stream);
    const { adapter, input } = interactiveShell(term.stream, log);
    await adapter.start();
    input.write('sea');
    await term.until((s) => visible(s).includes('papers> sea'));
    const before = term.screen().length;

    // What the live scheduler does when the terminal channel's digest is due.
    await adapter.post(SHELL_CHANNEL, {
      kind: 'notice',
      title: 'Digest 2026-06-10',
      lines: ['robot grasping: 3 papers'],
    });
    const after = term.screen().slice(before);
    const digest = after.indexOf('Digest 2026-06-10');
    expect(digest).toBeGreaterThan(-1);
    // Not glued to the half-typed command: the prompt line is cleared first...
    expect(after.slice(0, digest)).toContain(CLEAR_LINE);
    // ...and the prompt is drawn again below it, with the typed text.
    expect(visible(after.slice(digest))).toMatch(/Digest 2026-06-10[\s\S]*papers> sea$/);

    input.end('\n');
    await adapter.finished;
  });

  it('a log line while a command runs is not followed by a stray prompt', () => {
    const term = terminal();
    const log = new PromptSafeLog(term.stream);
    log.promptShown(false);
    log.write('plain line\n');
    expect(term.screen()).toBe('plain line\n');
  });

  it('info is quiet at an interactive prompt unless PAPERBOY_LOG_LEVEL asks', () => {
    expect(terminalLogLevel('info', { levelFromEnv: false, interactive: true })).toBe('warn');
    expect(terminalLogLevel('debug', { levelFromEnv: false, interactive: true })).toBe('warn');
    expect(terminalLogLevel('error', { levelFromEnv: false, interactive: true })).toBe('error');
    expect(terminalLogLevel('info', { levelFromEnv: true, interactive: true })).toBe('info');
    expect(terminalLogLevel('info', { levelFromEnv: false, interactive: false })).toBe('info');

    const term = terminal();
    const logger = createLogger({
      level: terminalLogLevel('info', { levelFromEnv: false, interactive: true }),
      destination: new PromptSafeLog(term.stream),
    });
    logger.info('search window rebuilt');
    logger.warn('the store is busy');
    expect(term.screen()).not.toContain('search window rebuilt');
    expect(term.screen()).toContain('the store is busy');
  });
});
