import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLine } from '../../../src/adapters/shell/complete.js';
import { ShellAdapter } from '../../../src/adapters/shell/shell-adapter.js';
import { autocomplete } from '../../../src/commands/autocomplete.js';
import type { DigestReply } from '../../../src/commands/reply.js';
import { isPaperboyError } from '../../../src/core/errors.js';
import { SHELL_CHANNEL } from '../../../src/core/store/store.js';
import { memoryBot } from '../../commands/bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;
const dirs: string[] = [];
beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function shell(options: { interactive?: boolean; historyFile?: string } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const adapter = new ShellAdapter({
    input,
    output,
    interactive: options.interactive ?? false,
    color: false,
    historyFile: options.historyFile ?? null,
    context: () =>
      fixture.bot.contextFor(
        SHELL_CHANNEL,
        { id: 'local', canManageChannel: true },
        'terminal user',
      ),
  });
  return { adapter, input, output: () => text };
}

describe('ShellAdapter', () => {
  it('runs piped lines in order, with or without /papers, skipping blanks and # comments', async () => {
    const { adapter, input, output } = shell();
    await adapter.start();
    input.end('# a script\n\nlatest 1\n/papers help show\n');
    await adapter.finished;
    expect(output()).toMatch(
      /^The newest paper\n1\. .+\n[\s\S]*\n\n\/papers show\n\/papers show <paper>/,
    );
  });

  it('prompts, remembers history in a file and stops at exit when interactive', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-shell-'));
    dirs.push(dir);
    const historyFile = path.join(dir, 'history');
    const { adapter, input, output } = shell({ interactive: true, historyFile });
    await adapter.start();
    input.write('help latest\r');
    input.write('exit\r');
    await adapter.finished;
    expect(output()).toContain('papers> ');
    expect(output()).toContain('/papers latest [count]');
    expect(readFileSync(historyFile, 'utf8')).toBe('help latest\n');
  });

  it('posts digests to its own channel only, and finds them again by delivery id', async () => {
    const { adapter, output } = shell();
    const digest: DigestReply = {
      kind: 'digest',
      date: '2025-12-12',
      title: 'Paper digest',
      sections: [],
      deliveryId: 'd1',
      emptyText: 'Nothing new today.',
    };
    const posted = await adapter.post(SHELL_CHANNEL, digest);
    expect(posted.messageIds).toHaveLength(1);
    expect(output()).toContain('Nothing new today.');
    expect(await adapter.findDelivery(SHELL_CHANNEL, 'd1')).toBe(posted.messageIds[0]);
    expect(await adapter.findDelivery(SHELL_CHANNEL, 'd2')).toBeNull();
    const elsewhere = adapter.post({ platform: 'discord', workspace: '1', channel: '2' }, digest);
    await expect(elsewhere).rejects.toSatisfy((e) => isPaperboyError(e, 'CHANNEL_UNAVAILABLE'));
  });
});

describe('completeLine', () => {
  const values = async (sub: string, option: string, prefix: string) =>
    await autocomplete(sub, option, prefix, fixture.context());

  it('completes subcommand names, also after /papers', async () => {
    expect(await completeLine('sub', values)).toEqual([['subscribe ', 'subscriptions '], 'sub']);
    expect(await completeLine('/papers sh', values)).toEqual([['show '], 'sh']);
  });

  it('completes name: options and their values', async () => {
    expect(await completeLine('search robots si', values)).toEqual([['since:'], 'si']);
    expect(await completeLine('schedule 09:00 days:w', values)).toEqual([
      ['days:weekdays'],
      'days:w',
    ]);
  });

  it('completes the next positional option from its choices (time zones, days)', async () => {
    const [zones] = await completeLine('schedule 09:00 Europe/Be', values);
    expect(zones).toContain('Europe/Berlin');
    const [days] = await completeLine('schedule 09:00 UTC ev', values);
    expect(days).toEqual(['every']);
  });

  it('offers nothing for unknown subcommands', async () => {
    expect(await completeLine('nope x', values)).toEqual([[], 'x']);
  });
});
