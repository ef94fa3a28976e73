import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { PaperboyError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import type { PaperSearch } from '../../src/core/search/types.js';
import { memoryBot } from './bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;
beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
});

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = {
    write(line: string) {
      lines.push(JSON.parse(line));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { logger: createLogger({ level: 'error', destination }), lines };
}

describe('runCommand', () => {
  it('names the platform permission when refusing a manage subcommand, before validating', async () => {
    const ctx = fixture.context({ managePermission: 'Manage Server' }, false);
    for (const name of ['subscribe', 'unsubscribe', 'schedule']) {
      const reply = await runCommand({ name, options: {} }, ctx);
      expect(reply).toEqual({
        kind: 'error',
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('Manage Server permission'),
      });
    }
    expect(await fixture.bot.store.listSubscriptions(ctx.channel)).toEqual([]);
  });

  it('lets anyone run the read-only subcommands', async () => {
    const ctx = fixture.context({}, false);
    for (const name of ['subscriptions', 'digest', 'help', 'latest', 'status']) {
      expect((await runCommand({ name, options: {} }, ctx)).kind).not.toBe('error');
    }
  });

  it('never throws: an unexpected error becomes INTERNAL and is logged with its code', async () => {
    const { logger, lines } = logCapture();
    const broken = {
      ...fixture.bot.search,
      search: () => {
        throw new Error('disk on fire');
      },
    } as unknown as PaperSearch;
    const reply = await runCommand(
      { name: 'search', options: { query: 'x' } },
      fixture.context({ search: broken, logger }),
    );
    expect(reply).toMatchObject({ kind: 'error', code: 'INTERNAL' });
    expect((reply as { message: string }).message).not.toContain('disk on fire');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ code: 'INTERNAL', command: 'search', msg: 'command failed' });
  });

  it('passes a coded error message through and logs its code', async () => {
    const { logger, lines } = logCapture();
    const failing = {
      ...fixture.bot.store,
      listSubscriptions: () => {
        throw new PaperboyError('STORE_FAILED', 'The store is read-only.');
      },
    };
    const reply = await runCommand(
      { name: 'subscriptions', options: {} },
      fixture.context({ store: failing as never, logger }),
    );
    expect(reply).toEqual({
      kind: 'error',
      code: 'STORE_FAILED',
      message: 'The store is read-only.',
    });
    expect(lines[0]).toMatchObject({ code: 'STORE_FAILED' });
  });

  it('answers malformed calls from adapters instead of throwing', async () => {
    const ctx = fixture.context();
    expect(await runCommand({ name: 'nope', options: {} }, ctx)).toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await runCommand({ name: 'latest' } as never, ctx)).toMatchObject({ kind: 'list' });
    expect(await runCommand({ name: undefined, options: {} } as never, ctx)).toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(
      await runCommand({ name: 'SEARCH', options: { query: 'robot', page: 2 } }, ctx),
    ).toMatchObject({ kind: 'list', page: 2 });
  });
});
