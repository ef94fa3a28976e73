import type { ErrorReply } from './reply.js';
import {
  COMMAND_NAME,
  type CommandCall,
  findSubcommand,
  type OptionSpec,
  type SubcommandSpec,
  usageOf,
} from './spec.js';
import { unknownSubcommandError } from './unknown-subcommand.js';

interface Token {
  /** As typed, quotes included. */
  raw: string;
  /** Quotes removed. */
  value: string;
}

/** Splits on whitespace; double quotes group words (an unclosed quote runs to the end). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let raw = '';
  let value = '';
  let quoted = false;
  let started = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      raw += ch;
      started = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (started) tokens.push({ raw, value });
      raw = '';
      value = '';
      started = false;
    } else {
      raw += ch;
      value += ch;
      started = true;
    }
  }
  if (started) tokens.push({ raw, value });
  return tokens;
}

function inputError(spec: SubcommandSpec, message: string): ErrorReply {
  return { kind: 'error', code: 'INPUT_INVALID', message, usage: usageOf(spec) };
}

/** `since:2024-01-01` or `author:"José García"` when `since`/`author` is an option here. */
function namedOption(
  spec: SubcommandSpec,
  token: Token,
): { option: OptionSpec; value: string } | null {
  const match = /^([a-z]+):/i.exec(token.raw);
  if (!match?.[1]) return null;
  const option = spec.options.find((o) => o.name === match[1]?.toLowerCase());
  if (!option) return null;
  const rawValue = token.raw.slice(match[0].length);
  const value = option.keepQuotes ? rawValue : rawValue.replace(/"/g, '');
  return { option, value };
}

/**
 * The text form of `/papers` (Slack and the terminal): `search robotics since:2024-01-01`,
 * `show "Skill-it!"`, `/papers subscribe reinforcement learning`. Options are `name:value`
 * or positional in declaration order; the `rest` option takes the remaining free words.
 * An empty text asks for help.
 */
export function parseCommandText(text: string): CommandCall | ErrorReply {
  const tokens = tokenize(text.trim());
  const first = tokens[0]?.value.toLowerCase();
  if (first === `/${COMMAND_NAME}` || first === COMMAND_NAME) tokens.shift();
  const head = tokens.shift();
  if (!head) return { name: 'help', options: {} };
  const name = head.value.toLowerCase();
  const spec = findSubcommand(name);
  if (!spec) return unknownSubcommandError(head.value);

  const options: CommandCall['options'] = {};
  const free: Token[] = [];
  for (const token of tokens) {
    const named = namedOption(spec, token);
    if (!named) {
      free.push(token);
      continue;
    }
    if (options[named.option.name] !== undefined) {
      return inputError(spec, `The option ${named.option.name} is given twice.`);
    }
    options[named.option.name] = named.value;
  }

  for (const option of spec.options) {
    if (options[option.name] !== undefined || free.length === 0) continue;
    if (option.rest) {
      const words = free.splice(0, free.length);
      options[option.name] = words.map((t) => (option.keepQuotes ? t.raw : t.value)).join(' ');
    } else {
      options[option.name] = free.shift()?.value;
    }
  }
  if (free.length > 0) {
    const extra = free.map((t) => t.raw).join(' ');
    const message =
      spec.options.length === 0
        ? `${spec.name} takes no options, but got "${extra}".`
        : `${spec.name} did not expect "${extra}". Options: ${spec.options.map((o) => o.name).join(', ')}.`;
    return inputError(spec, message);
  }
  return { name: spec.name, options };
}
