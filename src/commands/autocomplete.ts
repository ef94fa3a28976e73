import type { CommandContext } from './context.js';
import { faultReply } from './dispatch.js';
import { findSubcommand } from './spec.js';

export interface Choice {
  name: string;
  value: string;
  /** The one choice naming a fault: a chat client shows it; a completer offers nothing. */
  failed?: true;
}

/** Discord's limits: 25 choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_LENGTH = 100;

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function matching(values: readonly string[], prefix: string): Choice[] {
  const needle = prefix.trim().toLowerCase();
  const starts = values.filter((v) => v.toLowerCase().startsWith(needle));
  const contains = values.filter(
    (v) => !v.toLowerCase().startsWith(needle) && v.toLowerCase().includes(needle),
  );
  return [...starts, ...contains]
    .filter((v) => v.length <= MAX_LENGTH)
    .slice(0, MAX_CHOICES)
    .map((v) => ({ name: v, value: v }));
}

let timeZones: string[] | null = null;

/** Every IANA zone the runtime knows, with UTC first (Intl may list it only as an alias). */
export function allTimeZones(): string[] {
  if (!timeZones) {
    const listed = Intl.supportedValuesOf('timeZone');
    timeZones = ['UTC', ...listed.filter((z) => z !== 'UTC')];
  }
  return timeZones;
}

/** What a failed lookup was for, as the one choice that says so names it. */
const LOOKED_UP: Record<string, string> = {
  paper: 'Papers',
  topic: "This channel's topics",
};

/**
 * The answer to a fault while suggesting: one choice naming what failed, never the empty
 * list a client shows as "no match". Its value is what was typed, so picking it changes nothing.
 */
function faultChoice(
  error: unknown,
  ctx: CommandContext,
  where: { subcommand: string; option: string; lookup?: string },
  prefix: string,
): Choice[] {
  const { code } = faultReply(error, ctx.logger, where, 'autocomplete failed');
  const what = LOOKED_UP[where.lookup ?? ''] ?? 'Suggestions';
  const name = clip(`${what} could not be looked up right now (${code}): try again in a moment.`);
  // Discord refuses an empty value: with nothing typed, the name stands in.
  return [{ name, value: clip(prefix) || name, failed: true }];
}

/**
 * Choices for an option being typed: papers (titles → ids) from the search, the
 * channel's own topics, IANA time zones, or the option's declared choices. Never throws:
 * a fault is one choice saying so, and a log line with the cause.
 */
export async function autocomplete(
  subcommand: string,
  option: string,
  prefix: string,
  ctx: CommandContext,
): Promise<Choice[]> {
  const spec = findSubcommand(subcommand)?.options.find((o) => o.name === option);
  if (!spec) return [];
  try {
    switch (spec.autocomplete) {
      case 'paper':
        if (prefix.trim() === '') return [];
        return (await ctx.search.suggest(prefix, MAX_CHOICES))
          .slice(0, MAX_CHOICES)
          .filter((s) => s.id.length <= MAX_LENGTH)
          .map((s) => ({ name: clip(s.title), value: s.id }));
      case 'topic':
        return matching(
          (await ctx.store.listSubscriptions(ctx.channel)).map((s) => s.topic),
          prefix,
        );
      case 'timezone':
        return matching(allTimeZones(), prefix);
      default:
        return spec.choices ? matching(spec.choices, prefix) : [];
    }
  } catch (error) {
    return faultChoice(error, ctx, { subcommand, option, lookup: spec.autocomplete }, prefix);
  }
}
