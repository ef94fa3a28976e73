/**
 * The single declaration of `/papers`: Discord registration, Slack and terminal text
 * parsing, completion, validation and help are all generated from it.
 */
export const COMMAND_NAME = 'papers';
export const COMMAND_DESCRIPTION = 'Search, show and follow new research papers';

export type OptionType = 'string' | 'integer' | 'date';

export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  required?: boolean;
  /** Integers: inclusive bounds. */
  min?: number;
  max?: number;
  /** Strings: length bounds. */
  minLength?: number;
  maxLength?: number;
  choices?: readonly string[];
  /** Where autocomplete choices come from. */
  autocomplete?: 'paper' | 'topic' | 'timezone';
  /**
   * In text form (Slack, terminal) this option takes the remaining free words,
   * e.g. `search graph neural networks`. At most one per subcommand.
   */
  rest?: boolean;
  /**
   * Text form keeps double quotes in this option's value, because they mean something
   * to it (search phrases); other options lose their quotes.
   */
  keepQuotes?: boolean;
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  /** Changes the channel: needs the platform's manage permission. */
  manage?: boolean;
  examples: readonly string[];
}

/** `show` and `similar` take the same paper reference. */
const PAPER_OPTION = {
  name: 'paper',
  type: 'string',
  description: 'Title (or part of it), arXiv id or URL',
  required: true,
  minLength: 1,
  maxLength: 300,
  autocomplete: 'paper',
  rest: true,
} as const satisfies OptionSpec;

export const SUBCOMMANDS = [
  {
    name: 'search',
    description: 'Find papers matching words, a "quoted phrase", -excluded words',
    options: [
      {
        name: 'query',
        type: 'string',
        description: 'What to look for',
        required: true,
        minLength: 1,
        maxLength: 300,
        rest: true,
        keepQuotes: true,
      },
      { name: 'since', type: 'date', description: 'Only papers from this day on (YYYY-MM-DD)' },
      { name: 'author', type: 'string', description: 'Only papers by this author', maxLength: 100 },
      { name: 'page', type: 'integer', description: 'Result page', min: 1, max: 100 },
    ],
    examples: [
      'search robotics',
      'search "knowledge distillation" since:2024-01-01',
      'search diffusion author:Chen',
    ],
  },
  {
    name: 'show',
    description: 'Show one paper: by title fragment, arXiv id or URL',
    options: [PAPER_OPTION],
    examples: ['show CycleQD', 'show 2410.07524', 'show https://arxiv.org/abs/2410.07524'],
  },
  {
    name: 'latest',
    description: 'The newest papers, newest day first',
    options: [
      { name: 'count', type: 'integer', description: 'How many papers (1-25)', min: 1, max: 25 },
    ],
    examples: ['latest', 'latest 5'],
  },
  {
    name: 'subscribe',
    description: "Follow a topic in this channel's digest",
    options: [
      {
        name: 'topic',
        type: 'string',
        description: 'Words describing the topic',
        required: true,
        minLength: 1,
        maxLength: 100,
        rest: true,
      },
    ],
    manage: true,
    examples: ['subscribe reinforcement learning', 'subscribe robotics'],
  },
  {
    name: 'unsubscribe',
    description: 'Stop following a topic',
    options: [
      {
        name: 'topic',
        type: 'string',
        description: 'A topic this channel follows',
        required: true,
        minLength: 1,
        maxLength: 100,
        autocomplete: 'topic',
        rest: true,
      },
    ],
    manage: true,
    examples: ['unsubscribe robotics'],
  },
  {
    name: 'subscriptions',
    description: "This channel's topics, digest schedule and delivery problems",
    options: [],
    examples: ['subscriptions'],
  },
  {
    name: 'schedule',
    description: "When this channel's digest is posted, or `off`",
    options: [
      {
        name: 'time',
        type: 'string',
        description: 'Local time HH:MM (24-hour), or off',
        required: true,
        maxLength: 5,
      },
      {
        name: 'timezone',
        type: 'string',
        description: 'IANA time zone, e.g. Europe/Berlin',
        maxLength: 64,
        autocomplete: 'timezone',
      },
      {
        name: 'days',
        type: 'string',
        description: 'Every day or weekdays only',
        choices: ['every', 'weekdays'],
      },
      { name: 'size', type: 'integer', description: 'Papers in all (1-50)', min: 1, max: 50 },
    ],
    manage: true,
    examples: ['schedule 09:00 Europe/Berlin weekdays', 'schedule 08:30', 'schedule off'],
  },
  {
    name: 'digest',
    description: "Preview this channel's next digest",
    options: [],
    examples: ['digest'],
  },
  {
    name: 'status',
    description: 'Sources, papers stored, channels and next digests',
    options: [],
    examples: ['status'],
  },
  {
    name: 'ask',
    description: 'Answer a question from the stored papers, with citations',
    options: [
      {
        name: 'question',
        type: 'string',
        description: 'Your question, in plain words',
        required: true,
        minLength: 3,
        maxLength: 500,
        rest: true,
      },
    ],
    examples: ['ask which crossover does CycleQD use?', 'ask how do robots learn from simulation?'],
  },
  {
    name: 'similar',
    description: 'Papers closest to one paper, and what they share',
    options: [PAPER_OPTION],
    examples: ['similar CycleQD', 'similar 2410.07524'],
  },
  {
    name: 'help',
    description: 'How to use /papers',
    options: [
      {
        name: 'subcommand',
        type: 'string',
        description: 'A subcommand to explain',
        choices: [
          'search',
          'show',
          'latest',
          'subscribe',
          'unsubscribe',
          'subscriptions',
          'schedule',
          'digest',
          'status',
          'ask',
          'similar',
          'help',
        ],
      },
    ],
    examples: ['help', 'help search'],
  },
] as const satisfies readonly SubcommandSpec[];

export type SubcommandName = (typeof SUBCOMMANDS)[number]['name'];

export function findSubcommand(name: string): SubcommandSpec | undefined {
  return SUBCOMMANDS.find((s) => s.name === name);
}

/** `search <query> [since] [author] [page]` */
export function usageOf(spec: SubcommandSpec): string {
  const parts = spec.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [`/${COMMAND_NAME} ${spec.name}`, ...parts].join(' ');
}

type SubcommandOf<N extends SubcommandName> = Extract<(typeof SUBCOMMANDS)[number], { name: N }>;
type OptionOf<N extends SubcommandName> = SubcommandOf<N>['options'][number];
type ValueOf<O> = O extends { type: 'integer' }
  ? number
  : O extends { choices: readonly (infer C)[] }
    ? C
    : string;

/** The validated input of a subcommand, derived from its declaration. */
export type InputOf<N extends SubcommandName> = {
  [O in OptionOf<N> as O['name']]: O extends { required: true }
    ? ValueOf<O>
    : ValueOf<O> | undefined;
};

/** A parsed invocation, before validation: what every adapter produces. */
export interface CommandCall {
  name: string;
  options: Record<string, string | number | undefined>;
}
