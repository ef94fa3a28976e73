import { z } from 'zod';
import type { ErrorReply } from './reply.js';
import type { CommandCall, OptionSpec, SubcommandSpec } from './spec.js';
import { SUBCOMMANDS, usageOf } from './spec.js';

export type ValidInput = Record<string, string | number | undefined>;
export type Validation = { ok: true; input: ValidInput } | { ok: false; error: ErrorReply };

/** Tab, newline and other line breaks: typed or pasted whitespace, kept as a plain space. */
const CONTROL_SPACE = /[\t\n\v\f\r\u0085]/g;
/** C0 (NUL, ESC…), DEL and C1 controls: never meant as text, and ESC sequences repaint terminals. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A text value without control characters, so `\x00` alone counts as empty. */
export function withoutControls(text: string): string {
  return text.replace(CONTROL_SPACE, ' ').replace(CONTROL, '');
}

const SUBCOMMAND_NAMES = SUBCOMMANDS.map((s) => s.name).join(' ');

function quoted(value: unknown): string {
  const text = String(value);
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

function isRealDay(text: string): boolean {
  const at = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text;
}

/** One zod schema per option, with messages that name the option and what it allows. */
function optionSchema(option: OptionSpec): z.ZodType<string | number> {
  const name = option.name;
  if (option.type === 'integer') {
    const range =
      option.min !== undefined && option.max !== undefined
        ? ` from ${option.min} to ${option.max}`
        : '';
    const message = `${name} must be a whole number${range}`;
    let number = z.number({ error: message }).int(message);
    if (option.min !== undefined) number = number.min(option.min, message);
    if (option.max !== undefined) number = number.max(option.max, message);
    const schema = z
      .union(
        [
          z.number(),
          z
            .string()
            .trim()
            .regex(/^-?\d+$/, message)
            .transform(Number),
        ],
        { error: message },
      )
      .pipe(number);
    return schema;
  }
  const text = z.string({ error: `${name} must be text` }).trim();
  if (option.type === 'date') {
    return text
      .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a day written YYYY-MM-DD, e.g. 2024-06-01`)
      .refine(isRealDay, `${name} is not a real calendar day`);
  }
  if (option.choices) {
    const allowed = option.choices.join(' or ');
    // help's option lists the subcommands: an unknown one is named as such.
    const namesSubcommands = option.choices.join(' ') === SUBCOMMAND_NAMES;
    return text
      .transform((v) => v.toLowerCase())
      .pipe(
        z.enum(option.choices as [string, ...string[]], {
          error: (issue) =>
            namesSubcommands
              ? `There is no subcommand ${quoted(issue.input)}; the subcommand must be ${allowed}`
              : `${name} must be ${allowed}`,
        }),
      );
  }
  let schema = text;
  if (option.minLength !== undefined) {
    schema = schema.min(option.minLength, `${name} must not be empty`);
  }
  if (option.maxLength !== undefined) {
    schema = schema.max(
      option.maxLength,
      `${name} is too long (at most ${option.maxLength} characters)`,
    );
  }
  return schema;
}

const schemas = new Map<OptionSpec, z.ZodType<string | number>>();

function schemaOf(option: OptionSpec): z.ZodType<string | number> {
  let schema = schemas.get(option);
  if (!schema) {
    schema = optionSchema(option);
    schemas.set(option, schema);
  }
  return schema;
}

function fail(spec: SubcommandSpec, message: string): Validation {
  return {
    ok: false,
    error: { kind: 'error', code: 'INPUT_INVALID', message, usage: usageOf(spec) },
  };
}

/**
 * Checks a call's options against the declaration: unknown options, missing required
 * ones and bad values each get a message naming the option and what is allowed.
 */
export function validateCall(spec: SubcommandSpec, call: CommandCall): Validation {
  const options = call.options ?? {};
  const known = new Set(spec.options.map((o) => o.name));
  const unknown = Object.keys(options).filter(
    (key) => !known.has(key) && options[key] !== undefined,
  );
  if (unknown.length > 0) {
    const allowed =
      spec.options.length > 0
        ? `Its options are: ${spec.options.map((o) => o.name).join(', ')}.`
        : 'It takes no options.';
    return fail(spec, `${spec.name} has no option ${unknown.join(', ')}. ${allowed}`);
  }

  const input: ValidInput = {};
  for (const option of spec.options) {
    const raw = options[option.name];
    const value = typeof raw === 'string' ? withoutControls(raw) : raw;
    const empty = value === undefined || (typeof value === 'string' && value.trim() === '');
    if (empty) {
      if (option.required) {
        return fail(spec, `${spec.name} needs ${option.name}: ${option.description}.`);
      }
      input[option.name] = undefined;
      continue;
    }
    const result = schemaOf(option).safeParse(value);
    if (!result.success) {
      return fail(spec, `${result.error.issues[0]?.message ?? `${option.name} is not valid`}.`);
    }
    input[option.name] = result.data;
  }
  return { ok: true, input };
}
