import { isValidTimeZone } from '../config.js';
import { clearRefusal } from '../core/digest/run.js';
import type { DigestDays, Schedule } from '../core/store/store.js';
import { defaultSchedule, describeSchedule } from './channel-schedule.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { COMMAND_NAME, findSubcommand, type InputOf, usageOf } from './spec.js';

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function invalid(message: string): Reply {
  const spec = findSubcommand('schedule');
  return { kind: 'error', code: 'INPUT_INVALID', message, usage: spec ? usageOf(spec) : undefined };
}

/** The zone's canonical spelling ("europe/berlin" → "Europe/Berlin"), or `null`. */
export function canonicalTimeZone(text: string): string | null {
  if (!isValidTimeZone(text)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
}

/** Zones whose name contains the text, e.g. "Berlin" → Europe/Berlin. */
function similarZones(text: string): string[] {
  const needle = text.toLowerCase().replace(/[\s-]+/g, '_');
  if (needle.length < 3) return [];
  return Intl.supportedValuesOf('timeZone')
    .filter((zone) => zone.toLowerCase().includes(needle))
    .slice(0, 3);
}

export async function run(input: InputOf<'schedule'>, ctx: CommandContext): Promise<Reply> {
  const now = ctx.clock.now();
  if (input.time.toLowerCase() === 'off') {
    if (input.timezone || input.days || input.size) {
      return invalid('schedule off takes nothing after it.');
    }
    await ctx.store.setSchedule(ctx.channel, null, now);
    await clearRefusal(ctx.store, ctx.channel, now);
    return {
      kind: 'notice',
      title: 'Digest off',
      lines: ['This channel gets no digest now. Its topics are kept.'],
    };
  }

  const time = TIME.exec(input.time);
  if (!time) {
    return invalid(`time must be HH:MM (24-hour), e.g. 09:00, or off; got "${input.time}".`);
  }
  let timeZone: string | undefined;
  if (input.timezone) {
    const canonical = canonicalTimeZone(input.timezone);
    if (!canonical) {
      const similar = similarZones(input.timezone);
      const hint = similar.length > 0 ? ` Did you mean ${similar.join(' or ')}?` : '';
      return invalid(
        `timezone "${input.timezone}" is not an IANA time zone.${hint} Use a name such as Europe/Berlin, America/New_York or UTC.`,
      );
    }
    timeZone = canonical;
  }

  const current =
    (await ctx.store.getChannel(ctx.channel))?.schedule ?? defaultSchedule(ctx.config);
  const schedule: Schedule = {
    time: `${time[1]?.padStart(2, '0')}:${time[2]}`,
    timeZone: timeZone ?? current.timeZone,
    days: (input.days as DigestDays | undefined) ?? current.days,
    size: input.size ?? current.size,
  };
  await ctx.store.setSchedule(ctx.channel, schedule, now);
  await clearRefusal(ctx.store, ctx.channel, now);
  const topics = (await ctx.store.listSubscriptions(ctx.channel)).length;
  const lines = [`Digest: ${describeSchedule(schedule)}.`];
  if (topics === 0) {
    lines.push(
      `No topics yet, so it lists all new papers. Narrow it with /${COMMAND_NAME} subscribe <topic>.`,
    );
  }
  return { kind: 'notice', title: 'Digest scheduled', lines };
}
