import fc from 'fast-check';
import type { Reply } from '../../src/commands/reply.js';
import { type OptionSpec, SUBCOMMANDS } from '../../src/commands/spec.js';
import { ERROR_CODES } from '../../src/core/errors.js';

/** Fixed seeds: a failure reproduces, and CI sees the same inputs every run. */
export const FUZZ = { seed: 20_261_203, numRuns: 300 } as const;

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

/** Words that find something in the sample, so many calls get past validation to a handler. */
const plausible = fc.constantFrom(
  'robotics',
  'learning',
  'language',
  'diffusion',
  'CycleQD',
  'agent',
  '"large language"',
  '-vision',
  '2410.14735',
  'https://arxiv.org/abs/2410.14735',
  '5',
  '1',
  '2024-01-01',
  '09:00',
  'Europe/Berlin',
  'weekdays',
);

/** An option of the subcommand (or a stray one) with a plausible or an odd value. */
function optionOf(names: string[]) {
  return fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...names, 'page') },
        fc.constantFrom('nope'),
      ),
      fc.oneof(
        { weight: 3, arbitrary: plausible },
        fc.integer({ min: -5, max: 200 }).map(String),
        word,
      ),
    )
    .map(([name, value]) => `${name}:${value}`);
}

/** `<subcommand> words… name:value…`, mostly well-formed, with odd words mixed in. */
const subcommandLine = fc.constantFrom(...SUBCOMMANDS).chain((spec) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(spec.name as string) },
        fc.constant(spec.name.toUpperCase()),
        fc.constantFrom('unknown', '', 'serach'),
      ),
      fc.array(fc.oneof({ weight: 3, arbitrary: plausible }, word), { maxLength: 4 }),
      fc.array(optionOf(spec.options.map((o) => o.name).concat(OPTION_NAMES.slice(0, 1))), {
        maxLength: 3,
      }),
    )
    .map(([name, words, options]) => [name, ...words, ...options].join(' ')),
);

const EXAMPLES = SUBCOMMANDS.flatMap((s) => [...(s.examples ?? [])]);

/** A documented example with one word swapped for an odd one: well-formed calls reach the handlers. */
const mutatedExample = fc
  .tuple(fc.constantFrom(...EXAMPLES), fc.nat(), word)
  .map(([example, at, replacement]) => {
    const words = example.split(' ');
    if (words.length < 2) return `${example} ${replacement}`;
    const i = 1 + (at % (words.length - 1));
    const current = words[i] ?? '';
    // Keep an option's name so the value is what changes.
    words[i] = current.includes(':') ? `${current.split(':')[0]}:${replacement}` : replacement;
    return words.join(' ');
  });

/** The text after `/papers`: random strings, subcommand-shaped lines, and documented examples bent out of shape. */
export const commandText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  { weight: 3, arbitrary: subcommandLine },
  { weight: 4, arbitrary: mutatedExample },
  { weight: 2, arbitrary: fc.constantFrom(...EXAMPLES) },
);

/** A value Discord could deliver for an option: a string, or an integer/number option. */
const optionValue = fc.oneof(
  { weight: 3, arbitrary: plausible },
  fc.integer({ min: 0, max: 30 }),
  fc.string({ maxLength: 120 }),
  awkward,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A subcommand with arbitrary values for its declared options (some left out). */
export const discordCall = fc.constantFrom(...SUBCOMMANDS).chain((spec) =>
  fc
    // Required options are mostly present, as Discord's client enforces them.
    .record(Object.fromEntries(spec.options.map((o) => [o.name, optionValue])), {
      requiredKeys: (spec.options as readonly OptionSpec[])
        .filter((o) => o.required)
        .map((o) => o.name),
    })
    .map((options) => ({ name: spec.name as string, options })),
);

const KINDS = new Set([
  'list',
  'detail',
  'choice',
  'digest',
  'status',
  'notice',
  'error',
  'answer',
]);

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
