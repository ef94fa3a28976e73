import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { scrubSecretShapes } from '../core/secret-text.js';

// Reading the config files and naming what is wrong in them, without echoing a value.

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeDeep(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // JSON.parse keeps `__proto__` as an own key; assigning it would swap the prototype.
    if (key === '__proto__') continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

export function readJsonFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlainObject(parsed)) {
      problems.push(`${file}: must hold a JSON object`);
      return {};
    }
    return parsed;
  } catch (error) {
    // Name the place only: JSON.parse's message quotes the text, which may hold a secret.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = position ? ` at ${lineAndColumn(text, Number(position))}` : '';
    problems.push(`${file}: is not valid JSON${where}`);
    return {};
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

const SECRET_LIKE = /token|secret|password|key$/i;

export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.flatMap((issue) => {
    const key = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      // One line per unknown key, each named in full.
      return issue.keys.map((unknown) => {
        const hint = SECRET_LIKE.test(unknown)
          ? ' (secrets come only from environment variables such as DISCORD_TOKEN)'
          : '';
        // The key itself is echoed: blank it if it is a secret pasted as a key (a webhook URL).
        const named = scrubSecretShapes(unknown);
        return `${prefix}${key ? `${key}.` : ''}${named}: is not a known setting${hint}`;
      });
    }
    // Never echo the received value: it could be a secret.
    return [`${prefix}${key || '(root)'}: ${plainMessage(issue)}`];
  });
}

/** How a config reader names JSON kinds (zod says "array", "received undefined"). */
const JSON_KIND: Record<string, string> = {
  array: 'a list [...]',
  object: 'an object {...}',
  string: 'a string in quotes',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/**
 * zod's own wording ("Invalid input: expected array, received string") in plain words;
 * our schema's messages ("must be a time HH:MM") are kept as written.
 */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (!issue.message.startsWith('Invalid')) return issue.message;
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (received === 'undefined') return 'is required';
    const expected = JSON_KIND[issue.expected] ?? issue.expected;
    return `must be ${expected}${received ? `, not ${JSON_KIND[received] ?? received}` : ''}`;
  }
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((v) => JSON.stringify(v));
    return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
  }
  return issue.message;
}
