import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptSafeLog } from '../../src/adapters/shell/prompt-log.js';
import { ShellAdapter } from '../../src/adapters/shell/shell-adapter.js';
import { SHELL_CHANNEL } from '../../src/core/store/store.js';
import { memoryBot } from '../commands/bot-fixture.js';

/**
 * Review 13 (issue point 9, the terminal stays readable): `npm start -- --live` without tokens
 * prints digests in the terminal ("digests print here"). A log line written while `papers> `
 * shows is printed above the prompt and the prompt is redrawn with what was typed
 * (PromptSafeLog), but `ShellAdapter.post` writes the digest straight to the output: it
 * lands on the prompt line after the half-typed command, and no prompt follows it.
 */
let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
});

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

const ESCAPES = /\x1b\[[0-9;]*[A-Za-z]/g;
const visible = (text: string) => text.replace(ESCAPES, '');

describe('review13: a digest printed in the terminal REPL', () => {
  it('prints above the prompt, which comes back with what was typed', async () => {
    const term = terminal();
    const log = new PromptSafeLog(term.stream);
    const input = new PassThrough();
    const adapter = new ShellAdapter({
      input,
      output: term.stream,
      interactive: true,
      color: false,
      historyFile: null,
      log,
      context: () =>
        fixture.bot.contextFor(SHELL_CHANNEL, { id: 'local', canManageChannel: true }, 'terminal'),
    });
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
    // Not glued to the half-typed command: the prompt line is cleared first (a terminal
    // erases "papers> sea" there; the plain text of the stream would still show it)...
    expect(after.slice(0, digest)).toContain('\x1b[2K');
    // ...and the prompt is drawn again below it, with the typed text.
    expect(visible(after.slice(digest))).toMatch(/Digest 2026-06-10[\s\S]*papers> sea$/);

    input.end('\n');
    await adapter.finished;
  });
});
