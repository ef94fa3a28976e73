import fc from 'fast-check';
import type { Reply } from '../../src/commands/reply.js';
import { SUBCOMMANDS } from '../../src/commands/spec.js';
import { ERROR_CODES } from '../../src/core/errors.js';

/** Fixed seeds: a failure reproduces, and CI sees the same inputs every run. */
export const FUZZ = { seed: 20_261_203, numRuns: 300 } as const;

const SUBCOMMAND_NAMES = SUBCOMMANDS.map((s) => s.name);
const OPTION_NAMES = [...new Set(SUBCOMMANDS.flatMap((s) => s.options.map((o) => o.name)))];

/** Text users and platforms actually produce, and the awkward cases around it. */
const awkward = fc.constantFrom(
  '&amp;',
  '&lt;b&gt;',
  '<https://arxiv.org/abs/2410.14735|link>',
  '<https://huggingface.co/papers/2410.14735>',
  '<@U0123|ada>',
  '<#C0123|general>',
  '<!here>',
  '“curly quoted”',
  '‘single’',
  '"',
  '""',
  'title:',
  'author:',
  ':',
  '~',
  '*',
  '^2',
  '-',
  '+robot',
  '-excluded',
  'AND',
  'NOT',
  '\u0000',
  '\u202e',
  '🤖',
  'e\u0301',
  'José',
  '2410.14735v2',
  'arXiv:2410.14735',
  'x'.repeat(400),
  '9'.repeat(30),
  '-1',
  '0',
  '1e309',
  'NaN',
  '2024-02-30',
  '25:61',
  'Mars/Olympus',
  '__proto__',
  'constructor',
);

export const word = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  awkward,
  fc.integer().map(String),
  fc.double().map(String),
);

const option = fc
  .tuple(fc.constantFrom(...OPTION_NAMES, 'nope'), word)
  .map(([name, value]) => `${name}:${value}`);

/** The text after `/papers`: random strings, and subcommand-shaped lines full of odd words. */
export const commandText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc
    .tuple(
      fc.constantFrom(...SUBCOMMAND_NAMES, 'SEARCH', 'Show', 'unknown', ''),
      fc.array(fc.oneof(word, option), { maxLength: 8 }),
    )
    .map(([name, words]) => [name, ...words].join(' ')),
);

/** A value Discord could deliver for an option: a string, or an integer/number option. */
const optionValue = fc.oneof(
  fc.string({ maxLength: 120 }),
  awkward,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A subcommand with arbitrary values for its declared options (some left out). */
export const discordCall = fc.constantFrom(...SUBCOMMANDS).chain((spec) =>
  fc
    .record(Object.fromEntries(spec.options.map((o) => [o.name, optionValue])), {
      requiredKeys: [],
    })
    .map((options) => ({ name: spec.name as string, options })),
);

const KINDS = new Set(['list', 'detail', 'choice', 'digest', 'status', 'notice', 'error']);

/**
 * What makes an answer a Reply here: a known kind and, for errors, a known code with a
 * message. INTERNAL means a fault escaped a handler: the input found a bug.
 */
export function replyProblem(reply: unknown): string | null {
  const r = reply as Reply | null;
  if (!r || typeof r !== 'object' || !KINDS.has(r.kind)) return `not a Reply: ${String(r)}`;
  if (r.kind === 'error') {
    if (!(r.code in ERROR_CODES)) return `unknown error code ${r.code}`;
    if (!r.message) return 'error without a message';
    if (r.code === 'INTERNAL') return `INTERNAL error reply: ${r.message}`;
  }
  return null;
}
