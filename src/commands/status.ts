import { channelLabel } from '../core/digest/post.js';
import { sourcesHealth } from '../core/health.js';
import { localDate, localParts, nextDigestAt } from '../core/scheduler.js';
import { scrubSecretShapes } from '../core/secret-text.js';
import type { CommandContext } from './context.js';
import type { StatusReply } from './reply.js';
import type { InputOf } from './spec.js';
import { visibleFrom } from './tenant.js';

/** "2026-11-26 09:00 Europe/Berlin": the wall-clock time a channel's members expect. */
export function localTimeText(at: Date, timeZone: string): string {
  const p = localParts(timeZone, at);
  const hhmm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return `${localDate(timeZone, at)} ${hhmm} ${timeZone}`;
}

/** Next digests listed at most. */
const NEXT_DIGESTS = 10;

/**
 * Sources (last run, last success, warning) and papers stored, for everyone; the caller's
 * tenant's channels, next digests and posting failures.
 */
export async function run(_input: InputOf<'status'>, ctx: CommandContext): Promise<StatusReply> {
  const now = ctx.clock.now();
  const health = await sourcesHealth(ctx.store, ctx.config, now);
  // Papers and source health are global facts; channels, schedules and failures are the tenant's.
  const known = await ctx.store.listChannels();
  const visible = visibleFrom(
    ctx.channel,
    known.map((c) => c.ref),
  );
  const channels = known.filter((c) => visible(c.ref));
  const warnings: string[] = [];
  // Warnings and failure reasons quote upstream errors, which may quote a URL with its secret.
  const sources = health.map((s) => ({ ...s, warning: s.warning && scrubSecretShapes(s.warning) }));
  for (const source of sources) {
    if (source.warning) warnings.push(`${source.name}: ${source.warning}`);
  }
  const nextDigests: StatusReply['nextDigests'] = [];
  for (const channel of channels) {
    if (channel.failure) {
      warnings.push(
        `${channelLabel(channel.ref)}: posting fails since ${channel.failure.at}: ${scrubSecretShapes(channel.failure.reason)}`,
      );
      continue;
    }
    if (!channel.schedule || channel.paused) continue;
    const at = nextDigestAt(channel.schedule, now);
    nextDigests.push({
      channel: channelLabel(channel.ref),
      at: at.toISOString(),
      local: localTimeText(at, channel.schedule.timeZone),
    });
  }
  nextDigests.sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.channel.localeCompare(b.channel),
  );
  return {
    kind: 'status',
    papers: await ctx.store.countPapers(),
    channels: channels.filter((c) => c.schedule !== null).length,
    sources: sources.map((s) => ({
      name: s.name,
      enabled: s.enabled,
      lastRunAt: s.lastRunAt,
      lastSuccessAt: s.lastSuccessAt,
      warning: s.warning,
      ...(s.lastRunWarnings > 0 ? { lastRunWarnings: s.lastRunWarnings } : {}),
    })),
    nextDigests: nextDigests.slice(0, NEXT_DIGESTS),
    warnings,
  };
}
