import { describe, expect, it } from 'vitest';
import { findSubcommand, type SubcommandSpec } from '../../src/commands/spec.js';
import { validateCall } from '../../src/commands/validate.js';

function spec(name: string): SubcommandSpec {
  const found = findSubcommand(name);
  if (!found) throw new Error(name);
  return found;
}

function errorOf(name: string, options: Record<string, string | number | undefined>): string {
  const result = validateCall(spec(name), { name, options });
  if (result.ok) throw new Error('expected a rejection');
  expect(result.error.code).toBe('INPUT_INVALID');
  expect(result.error.usage).toMatch(new RegExp(`^/papers ${name}`));
  return result.error.message;
}

describe('validateCall', () => {
  it('coerces and trims values from text', () => {
    expect(
      validateCall(spec('search'), {
        name: 'search',
        options: { query: ' robots ', page: '2', since: '2024-02-29' },
      }),
    ).toEqual({
      ok: true,
      input: { query: 'robots', page: 2, since: '2024-02-29', author: undefined },
    });
    expect(
      validateCall(spec('schedule'), {
        name: 'schedule',
        options: { time: '09:00', days: 'Weekdays', size: 7 },
      }),
    ).toMatchObject({
      ok: true,
      input: { time: '09:00', days: 'weekdays', size: 7 },
    });
  });

  it('names the missing required option', () => {
    expect(errorOf('search', {})).toBe('search needs query: What to look for.');
    expect(errorOf('show', { paper: '   ' })).toBe(
      'show needs paper: Title (or part of it), arXiv id or URL.',
    );
  });

  it('says which values an option allows', () => {
    expect(errorOf('latest', { count: '0' })).toBe('count must be a whole number from 1 to 25.');
    expect(errorOf('latest', { count: 'five' })).toBe('count must be a whole number from 1 to 25.');
    expect(errorOf('latest', { count: 2.5 })).toBe('count must be a whole number from 1 to 25.');
    expect(errorOf('search', { query: 'x', page: '101' })).toBe(
      'page must be a whole number from 1 to 100.',
    );
    expect(errorOf('schedule', { time: '09:00', days: 'sundays' })).toBe(
      'days must be every or weekdays.',
    );
    expect(errorOf('search', { query: 'x', since: 'last week' })).toBe(
      'since must be a day written YYYY-MM-DD, e.g. 2024-06-01.',
    );
    expect(errorOf('search', { query: 'x', since: '2023-02-29' })).toBe(
      'since is not a real calendar day.',
    );
    expect(errorOf('subscribe', { topic: 'x'.repeat(101) })).toBe(
      'topic is too long (at most 100 characters).',
    );
    expect(errorOf('help', { subcommand: 'dance' })).toContain(
      'subcommand must be search or show or latest',
    );
  });

  it('names unknown options and lists the real ones', () => {
    expect(errorOf('latest', { count: '3', colour: 'red' })).toBe(
      'latest has no option colour. Its options are: count.',
    );
    expect(errorOf('digest', { x: '1' })).toBe('digest has no option x. It takes no options.');
  });
});
