import type { Choice } from '../../commands/autocomplete.js';
import { COMMAND_NAME, findSubcommand, SUBCOMMANDS } from '../../commands/spec.js';

/** Values for an option being typed (the shared `autocomplete`, bound to the channel). */
export type OptionValues = (
  subcommand: string,
  option: string,
  prefix: string,
) => Promise<Choice[]>;

/**
 * The values to complete with. A fault offers none: its choice's value would be typed into
 * the line, and the terminal already shows the fault (logged, printed above the prompt).
 */
async function completions(
  values: OptionValues,
  subcommand: string,
  option: string,
  prefix: string,
): Promise<string[]> {
  const choices = await values(subcommand, option, prefix);
  return choices.filter((c) => !c.failed).map((c) => c.value);
}

function withQuotes(value: string): string {
  return /\s/.test(value) ? `"${value}"` : value;
}

/**
 * Tab completion from the spec, in readline's shape `[candidates, word being completed]`:
 * subcommand names first, then `name:` options and their values, and values for the
 * next positional option when it has choices (days, time zones, topics).
 */
export async function completeLine(
  line: string,
  values: OptionValues,
): Promise<[string[], string]> {
  const body = line.replace(new RegExp(`^\\s*/?${COMMAND_NAME}\\s+`), '').replace(/^\s+/, '');
  const words = body.split(/\s+/);
  const current = words.at(-1) ?? '';
  if (words.length <= 1) {
    const names = SUBCOMMANDS.map((s) => s.name).filter((n) => n.startsWith(current.toLowerCase()));
    return [names.map((n) => `${n} `), current];
  }
  const spec = findSubcommand((words[0] ?? '').toLowerCase());
  if (!spec) return [[], current];

  const named = /^([a-z]+):(.*)$/i.exec(current);
  if (named?.[1]) {
    const option = named[1].toLowerCase();
    const hits = (await completions(values, spec.name, option, named[2] ?? '')).map(
      (value) => `${option}:${withQuotes(value)}`,
    );
    return [hits, current];
  }

  const typed = words.slice(1, -1);
  const usedNames = new Set(
    typed.map((w) => /^([a-z]+):/i.exec(w)?.[1]?.toLowerCase()).filter(Boolean),
  );
  const positional = typed.filter((w) => !/^([a-z]+):/i.test(w)).length;
  const open = spec.options.filter((o) => !usedNames.has(o.name));
  const next = open[positional];
  const hits: string[] = [];
  if (next && !next.rest)
    hits.push(...(await completions(values, spec.name, next.name, current)).map(withQuotes));
  hits.push(
    ...open
      .filter((o) => !o.rest && o.name.startsWith(current.toLowerCase()))
      .map((o) => `${o.name}:`),
  );
  return [hits, current];
}
