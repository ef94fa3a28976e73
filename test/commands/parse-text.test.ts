import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callToText } from '../../src/commands/call-text.js';
import { parseCommandText } from '../../src/commands/parse-text.js';
import type { CommandCall } from '../../src/commands/spec.js';

function call(text: string): CommandCall {
  const result = parseCommandText(text);
  if ('kind' in result) throw new Error(`expected a call, got: ${result.message}`);
  return result;
}

describe('parseCommandText', () => {
  it('takes free words as the rest option, with or without a leading /papers', () => {
    expect(call('search robotics')).toEqual({ name: 'search', options: { query: 'robotics' } });
    expect(call('/papers search graph neural networks')).toEqual({
      name: 'search',
      options: { query: 'graph neural networks' },
    });
    expect(call('  papers   subscribe   reinforcement learning ')).toEqual({
      name: 'subscribe',
      options: { topic: 'reinforcement learning' },
    });
  });

  it('reads name:value options anywhere, quoted values included', () => {
    expect(call('search robotics since:2024-01-01 author:"José García"')).toEqual({
      name: 'search',
      options: { query: 'robotics', since: '2024-01-01', author: 'José García' },
    });
    expect(call('search since:2024-01-01 diffusion page:2')).toEqual({
      name: 'search',
      options: { query: 'diffusion', since: '2024-01-01', page: '2' },
    });
  });

  it('keeps quotes in a search query (phrases) but not in other values', () => {
    expect(call('search "knowledge distillation" -survey').options.query).toBe(
      '"knowledge distillation" -survey',
    );
    expect(call('show "Skill-it!"').options.paper).toBe('Skill-it!');
  });

  it('leaves words with unknown name: prefixes to the free text (URLs, arXiv:ids)', () => {
    expect(call('show https://arxiv.org/abs/2410.07524').options.paper).toBe(
      'https://arxiv.org/abs/2410.07524',
    );
    expect(call('show arXiv:2410.07524').options.paper).toBe('arXiv:2410.07524');
    expect(call('search title:robots').options.query).toBe('title:robots');
  });

  it('fills positional options in declaration order', () => {
    expect(call('schedule 09:00 Europe/Berlin weekdays 5')).toEqual({
      name: 'schedule',
      options: { time: '09:00', timezone: 'Europe/Berlin', days: 'weekdays', size: '5' },
    });
    expect(call('schedule 08:30 days:weekdays')).toEqual({
      name: 'schedule',
      options: { time: '08:30', days: 'weekdays' },
    });
    expect(call('latest 5')).toEqual({ name: 'latest', options: { count: '5' } });
    expect(call('HELP Search')).toEqual({ name: 'help', options: { subcommand: 'Search' } });
  });

  it('asks for help on empty text', () => {
    expect(call('')).toEqual({ name: 'help', options: {} });
    expect(call('/papers')).toEqual({ name: 'help', options: {} });
  });

  it('names unknown subcommands, with a suggestion for typos', () => {
    const reply = parseCommandText('serch robots');
    expect(reply).toMatchObject({ kind: 'error', code: 'INPUT_INVALID' });
    expect((reply as { message: string }).message).toContain('"serch"');
    expect((reply as { message: string }).message).toContain('Did you mean search?');
    expect((parseCommandText('frobnicate') as { message: string }).message).not.toContain(
      'Did you mean',
    );
  });

  it('rejects extra values and repeated options, with usage', () => {
    expect(parseCommandText('subscriptions robotics')).toMatchObject({
      kind: 'error',
      message: 'subscriptions takes no options, but got "robotics".',
      usage: '/papers subscriptions',
    });
    expect(parseCommandText('latest 5 6')).toMatchObject({ kind: 'error', code: 'INPUT_INVALID' });
    expect(parseCommandText('search a since:2024-01-01 since:2024-02-01')).toMatchObject({
      kind: 'error',
      message: 'The option since is given twice.',
    });
  });

  it('runs to the end of the text on an unclosed quote', () => {
    expect(call('show "Agent Skill').options.paper).toBe('Agent Skill');
  });

  it('round-trips calls written by callToText', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 4 }),
        fc.option(fc.constantFrom('2024-01-01', '2025-12-12'), { nil: undefined }),
        fc.option(fc.array(word, { minLength: 1, maxLength: 2 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        (query, since, author, page) => {
          const options: CommandCall['options'] = { query: query.join(' ') };
          if (since) options.since = since;
          if (author) options.author = author.join(' ');
          if (page) options.page = String(page);
          expect(call(callToText({ name: 'search', options }))).toEqual({
            name: 'search',
            options,
          });
        },
      ),
    );
  });
});
