/**
 * Which Discord gateway shards this instance connects (PAPERBOY_DISCORD_SHARDS).
 * `auto`: every shard, as many as Discord recommends (GET /gateway/bot) at each login.
 * Otherwise the ids this instance runs out of a total every instance agrees on.
 */
export type DiscordShards = 'auto' | { readonly ids: readonly number[]; readonly count: number };

/** What runs when nothing is set: one connection for every guild, as before sharding. */
export const ONE_SHARD: DiscordShards = { ids: [0], count: 1 };

/**
 * A bound on the count so a typo cannot allocate millions of ids; far above any bot's need
 * (Discord holds at most 2,500 servers on a shard and recommends about one per 1,000).
 */
export const MAX_SHARD_COUNT = 100_000;

const FORMS =
  'must be "auto", a shard count such as "2" (this instance runs them all), or the shard ids ' +
  'this instance runs out of the total, such as "0,1/4" or "0-3/8"';

export type ShardsParse = { ok: true; shards: DiscordShards } | { ok: false; problem: string };

function count(text: string): number | string {
  const n = Number(text);
  if (n < 1) return `the shard count must be at least 1, not ${text}`;
  if (n > MAX_SHARD_COUNT) return `the shard count must be at most ${MAX_SHARD_COUNT}, not ${text}`;
  return n;
}

/** The ids of "0,2-3": each listed once, low to high within a range, all below `total`. */
function shardIds(list: string, total: number): number[] | string {
  const ids = new Set<number>();
  for (const part of list.split(',')) {
    const [low, high = low] = part.split('-').map(Number) as [number, number?];
    if (high < low)
      return `the range ${part} runs backwards: write it low to high, "${high}-${low}"`;
    if (high >= total)
      return `shard id ${high} is out of range: with ${total} shard${total === 1 ? '' : 's'} the ids are 0 to ${total - 1}`;
    for (let id = low; id <= high; id++) {
      if (ids.has(id)) return `shard ${id} is listed twice`;
      ids.add(id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** Parses PAPERBOY_DISCORD_SHARDS; a problem says what is wrong with the value, not the value's name. */
export function parseDiscordShards(raw: string): ShardsParse {
  const text = raw.replace(/\s+/g, '');
  if (text.toLowerCase() === 'auto') return { ok: true, shards: 'auto' };
  const form = /^(?:((?:\d+(?:-\d+)?)(?:,\d+(?:-\d+)?)*)\/)?(\d{1,9})$/.exec(text);
  if (!form) return { ok: false, problem: FORMS };
  const total = count(form[2] as string);
  if (typeof total === 'string') return { ok: false, problem: total };
  if (form[1] === undefined) {
    return { ok: true, shards: { ids: Array.from({ length: total }, (_, i) => i), count: total } };
  }
  const ids = shardIds(form[1], total);
  if (typeof ids === 'string') return { ok: false, problem: ids };
  return { ok: true, shards: { ids, count: total } };
}
