import type { ErrorReply } from './reply.js';
import { COMMAND_NAME, SUBCOMMANDS } from './spec.js';

/** Edit distance, for "did you mean" on short names only. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest subcommand name to a typo, if one is close enough to suggest. */
export function closestSubcommand(name: string): string | null {
  const lower = name.toLowerCase();
  let best: { name: string; d: number } | null = null;
  for (const spec of SUBCOMMANDS) {
    const d = spec.name.startsWith(lower) && lower.length >= 2 ? 0 : distance(lower, spec.name);
    if (!best || d < best.d) best = { name: spec.name, d };
  }
  return best && best.d <= 2 ? best.name : null;
}

export function unknownSubcommandError(name: string): ErrorReply {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  const suggestion = closestSubcommand(name);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  return {
    kind: 'error',
    code: 'INPUT_INVALID',
    message: `There is no subcommand "${shown}".${hint} Try one of: ${SUBCOMMANDS.map((s) => s.name).join(', ')} (or /${COMMAND_NAME} help).`,
  };
}
