import type { Config } from '../config.js';
import type { Logger } from './logger.js';
import type { AsyncStore } from './store/async-store.js';
import type { SourceRun } from './store/store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SourceHealth {
  name: string;
  enabled: boolean;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** Last run that stored at least one new paper. */
  lastNewAt: string | null;
  /** Why the source needs attention, or `null` when it looks fine. */
  warning: string | null;
  /** Warnings of the last successful run (items skipped, fields not understood). */
  lastRunWarnings: number;
}

interface SourceRules {
  /** No new paper for longer than this is not normal for the source. */
  quietLimitMs: number | null;
  /** arXiv RSS publishes once per US-Eastern weekday; a re-served batch is stale, not quiet. */
  detectsStale: boolean;
}

/** HF lists papers every day; arXiv is empty at weekends and on holidays (4 days covers both). */
const RULES: Record<string, SourceRules> = {
  huggingface: { quietLimitMs: 2 * DAY, detectsStale: false },
  'arxiv-rss': { quietLimitMs: 4 * DAY, detectsStale: true },
  'arxiv-api': { quietLimitMs: null, detectsStale: false },
};

const eastern = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: 'numeric',
});

function easternDay(at: Date): { day: string; weekday: string; hour: number } {
  const parts: Record<string, string> = {};
  for (const p of eastern.formatToParts(at)) parts[p.type] = p.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday ?? '',
    hour: Number(parts.hour),
  };
}

/** arXiv announces around midnight US Eastern, Monday to Friday; by 02:00 the batch is out. */
export function isArxivAnnouncementDay(now: Date): boolean {
  const { weekday, hour } = easternDay(now);
  return !['Sat', 'Sun'].includes(weekday) && hour >= 2;
}

/** A run's warnings: its messages, less the note that nothing changed upstream. */
function runWarnings(run: SourceRun): number {
  return run.messages.filter((m) => m !== 'not modified since the last poll').length;
}

function days(ms: number): string {
  const d = Math.floor(ms / DAY);
  return d === 1 ? '1 day' : `${d} days`;
}

/**
 * Pure: what the run history (newest first) says about a source at `now`.
 * Failing, stale (arXiv re-serving an old announcement) and quiet-too-long are warnings;
 * an empty arXiv weekend is not.
 */
export function assessSource(
  name: string,
  enabled: boolean,
  runs: readonly SourceRun[],
  now: Date,
): SourceHealth {
  const latest = runs[0] ?? null;
  const lastSuccess = runs.find((r) => r.ok) ?? null;
  const lastNew = runs.find((r) => r.ok && r.added > 0) ?? null;
  const health: SourceHealth = {
    name,
    enabled,
    lastRunAt: latest?.finishedAt ?? null,
    lastSuccessAt: lastSuccess?.finishedAt ?? null,
    lastNewAt: lastNew?.finishedAt ?? null,
    warning: null,
    lastRunWarnings: lastSuccess ? runWarnings(lastSuccess) : 0,
  };
  if (!enabled || !latest) return health;
  const rules = RULES[name] ?? { quietLimitMs: null, detectsStale: false };

  if (!latest.ok) {
    let streak = 0;
    while (streak < runs.length && !runs[streak]?.ok) streak++;
    const since = runs[streak - 1]?.startedAt ?? latest.startedAt;
    const reason = latest.messages.at(-1) ?? 'unknown error';
    health.warning =
      streak > 1
        ? `failing since ${since} (${streak} runs): ${reason}`
        : `last run failed: ${reason}`;
    return health;
  }

  if (rules.detectsStale && isArxivAnnouncementDay(now)) {
    const today = easternDay(now).day;
    const newToday = runs.some(
      (r) => r.ok && r.added > 0 && easternDay(new Date(r.finishedAt)).day === today,
    );
    const servedSomething =
      latest.fetched > 0 || latest.messages.some((m) => m.startsWith('not modified'));
    const hadBatchBefore = runs.some((r) => r.ok && r.fetched > 0);
    if (!newToday && servedSomething && hadBatchBefore) {
      health.warning = `stale batch: the feed still serves ${
        lastNew ? `the announcement stored at ${lastNew.finishedAt}` : 'papers already stored'
      } — no new announcement today`;
      return health;
    }
  }

  if (rules.quietLimitMs !== null) {
    const oldest = runs.at(-1);
    const reference = lastNew
      ? new Date(lastNew.finishedAt)
      : oldest
        ? new Date(oldest.startedAt)
        : now;
    const quietFor = now.getTime() - reference.getTime();
    if (quietFor > rules.quietLimitMs) {
      health.warning = lastNew
        ? `no new papers for ${days(quietFor)} (last new paper at ${lastNew.finishedAt})`
        : `no new papers in ${days(quietFor)} of polling`;
    }
  }
  return health;
}

const HISTORY = 500;

/** Health of every configured source (and of the API backfill, once it has run). */
export async function sourcesHealth(
  store: AsyncStore,
  config: Pick<Config, 'sources'>,
  now: Date,
): Promise<SourceHealth[]> {
  const list: SourceHealth[] = [
    assessSource(
      'huggingface',
      config.sources.huggingface.enabled,
      await store.recentSourceRuns('huggingface', HISTORY),
      now,
    ),
    assessSource(
      'arxiv-rss',
      config.sources.arxiv.enabled,
      await store.recentSourceRuns('arxiv-rss', HISTORY),
      now,
    ),
  ];
  const apiRuns = await store.recentSourceRuns('arxiv-api', HISTORY);
  if (apiRuns.length > 0) list.push(assessSource('arxiv-api', true, apiRuns, now));
  return list;
}

export interface HealthChange {
  source: string;
  /** The new warning, or `null` when the source recovered. */
  warning: string | null;
  previous: string | null;
}

/**
 * Compares with the warnings last reported (kept in store state) and returns what changed,
 * so the log and the admin channel hear about each problem once, and about its recovery.
 */
export async function healthChanges(
  store: AsyncStore,
  current: readonly SourceHealth[],
  now: Date,
): Promise<HealthChange[]> {
  const changes: HealthChange[] = [];
  for (const source of current) {
    // A source this instance does not poll is not its to judge: instances whose configs
    // differ (a rolling deploy) would otherwise flip the shared mark every tick.
    if (!source.enabled) continue;
    const key = `health-warning:${source.name}`;
    const previous = await store.getState(key);
    const prevWarning = previous ? previous : null;
    // A repeated failure with a new timestamp is the same problem: compare the kind of warning.
    if (kindOf(prevWarning) === kindOf(source.warning)) continue;
    // Every instance checks health each tick: the one whose write changed the mark reports.
    if (!(await store.replaceState(key, previous, source.warning ?? '', now))) continue;
    changes.push({ source: source.name, warning: source.warning, previous: prevWarning });
  }
  return changes;
}

function kindOf(warning: string | null): string {
  if (!warning) return '';
  if (warning.startsWith('last run failed') || warning.startsWith('failing')) return 'failing';
  if (warning.startsWith('stale')) return 'stale';
  return 'quiet';
}

/** Logs each change: a warning at `warn`, a recovery at `info`. Never silent. */
export function logHealthChanges(logger: Logger, changes: readonly HealthChange[]): void {
  for (const change of changes) {
    if (change.warning)
      logger.warn({ source: change.source, warning: change.warning }, 'source needs attention');
    else logger.info({ source: change.source, previous: change.previous }, 'source recovered');
  }
}
