import { parseCommandText } from '../../../src/commands/parse-text.js';
import { type CommandCall, findSubcommand } from '../../../src/commands/spec.js';
import type { OptionValue } from '../../fakes/discord/interactions.js';

/**
 * A scenario's text as Discord would send it: the subcommand with typed options.
 * `null` when Discord's client could not send it at all (unknown subcommand, an
 * option the subcommand lacks, a non-integer in an integer option).
 */
export function discordCall(
  text: string,
): { name: string; options: Record<string, OptionValue> } | null {
  const call: CommandCall | { kind: string } = parseCommandText(text);
  if ('kind' in call) return null;
  const spec = findSubcommand(call.name);
  if (!spec) return null;
  const options: Record<string, OptionValue> = {};
  for (const [name, value] of Object.entries(call.options)) {
    if (value === undefined) continue;
    const option = spec.options.find((o) => o.name === name);
    if (!option) return null;
    if (option.type === 'integer') {
      if (!/^-?\d+$/.test(String(value))) return null;
      options[name] = Number(value);
    } else {
      options[name] = String(value);
    }
  }
  return { name: call.name, options };
}
