import { expect } from 'vitest';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { CHANNELS, Crash, label, type Mode, type SimWorld } from './sim-world.js';

/**
 * The model of the digest property test: only what a user sees, which papers each channel
 * may get and must get. A paper may reach a channel once it matched the channel's topics
 * (no topics: every paper) at some moment since it arrived; it must reach it when it has
 * matched them, with the digest on and the channel not paused, from its arrival to the end.
 */

export const START = '2026-03-16T06:00:00Z'; // Europe moves its clocks on 2026-03-29
export const TOPICS = ['grasping', 'reasoning'] as const;
const DAY_MS = 86_400_000;

export interface SimSchedule {
  time: string;
  zone: string;
  days: 'every' | 'weekdays';
}

export interface ChannelModel {
  ref: ChannelRef;
  /** Followed topics; none means every new paper. */
  topics: Set<string>;
  on: boolean;
  schedule: SimSchedule;
  /** Observed from the bot once it pauses the channel for refusing past the horizon. */
  paused: boolean;
  /** Papers this channel may be sent. */
  allowed: Set<string>;
  /** Papers this channel must be sent (or find listed as skipped). */
  required: Set<string>;
  /** Posts seen when the digest went off or the channel was paused: no more while so. */
  postsWhenSilent: number | null;
  /** The first time the platform refused it since its last channel command. */
  refusedSince: number | null;
}

export interface Model {
  world: SimWorld;
  channels: Map<string, ChannelModel>;
  /** New papers (live-listed, or imported with a recent date) and their topic. */
  news: Array<{ id: string; topic: string }>;
  /** Papers that must never be posted: old imports, backfills, replaced old papers. */
  never: Set<string>;
  disableAfterDays: number;
  story: string[];
  next: number;
}

export const DEFAULT_SCHEDULE: SimSchedule = { time: '09:00', zone: 'UTC', days: 'every' };

export function newModel(world: SimWorld, disableAfterDays: number): Model {
  const channels = new Map<string, ChannelModel>();
  for (const c of CHANNELS)
    channels.set(label(c.ref), {
      ref: c.ref,
      topics: new Set(c.topic ? [c.topic] : []),
      on: true,
      schedule: { ...DEFAULT_SCHEDULE },
      paused: false,
      allowed: new Set(),
      required: new Set(),
      postsWhenSilent: null,
      refusedSince: null,
    });
  return { world, channels, news: [], never: new Set(), disableAfterDays, story: [], next: 0 };
}

export const channelOf = (model: Model, i: number): ChannelModel =>
  model.channels.get(label(CHANNELS[i]!.ref))!;

const matches = (c: ChannelModel, topic: string) => c.topics.size === 0 || c.topics.has(topic);
const silent = (c: ChannelModel) => !c.on || c.paused;

export function postsTo(model: Model, c: ChannelModel): string[] {
  return model.world.posted.filter((m) => m.channel === label(c.ref)).flatMap((m) => m.paperIds);
}

function dayOf(model: Model): string {
  const now = model.world.clock.now();
  const d = Math.floor((now.getTime() - new Date(START).getTime()) / DAY_MS) + 1;
  const weekday = now.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  return `day ${d} ${weekday} (${now.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

export function tell(model: Model, what: string): void {
  model.story.push(`${dayOf(model)}: ${what}`);
}

/** A new paper arrives: every channel whose topics match may get it; those listening must. */
export function newPaper(model: Model, id: string, topic: string): void {
  model.news.push({ id, topic });
  for (const c of model.channels.values()) {
    if (!matches(c, topic)) continue;
    c.allowed.add(id);
    if (!silent(c)) c.required.add(id);
  }
}

/** The channel's topics or digest changed: what it may get grows, what it must get shrinks. */
function topicsChanged(model: Model, c: ChannelModel): void {
  const topicOf = new Map(model.news.map((p) => [p.id, p.topic]));
  for (const p of model.news) if (matches(c, p.topic)) c.allowed.add(p.id);
  for (const id of c.required) if (!matches(c, topicOf.get(id) ?? '')) c.required.delete(id);
}

function goSilent(model: Model, c: ChannelModel): void {
  if (c.postsWhenSilent === null) c.postsWhenSilent = postsTo(model, c).length;
  c.required.clear();
}

/**
 * A channel command (schedule, subscribe, unsubscribe) clears a refusal and a pause; a
 * platform still refusing marks the channel again from now on.
 */
function commanded(model: Model, c: ChannelModel, change: () => void): void {
  c.paused = false;
  const refusing = model.world.modes.get(label(c.ref)) === 'refuse';
  c.refusedSince = refusing ? model.world.clock.now().getTime() : null;
  change();
  if (!silent(c)) c.postsWhenSilent = null;
}

export function subscribe(model: Model, c: ChannelModel, topic: string): void {
  commanded(model, c, () => {
    c.topics.add(topic);
    if (!c.on) {
      // Subscribing in a channel without a digest gives it the default one.
      c.on = true;
      c.schedule = { ...DEFAULT_SCHEDULE };
    }
    topicsChanged(model, c);
  });
}

export function unsubscribe(model: Model, c: ChannelModel, topic: string): void {
  commanded(model, c, () => {
    c.topics.delete(topic);
    topicsChanged(model, c);
  });
}

export function scheduled(model: Model, c: ChannelModel, schedule: SimSchedule | 'off'): void {
  commanded(model, c, () => {
    if (schedule === 'off') {
      c.on = false;
      goSilent(model, c);
    } else {
      c.schedule = schedule;
      c.on = true;
    }
  });
}

export function setMode(model: Model, c: ChannelModel, mode: Mode): void {
  model.world.modes.set(label(c.ref), mode);
  if (mode === 'refuse' && c.refusedSince === null)
    c.refusedSince = model.world.clock.now().getTime();
}

/** Runs one tick; a crash ends the "process", which the next restart brings back. */
export async function tick(model: Model): Promise<void> {
  const before = model.world.posted.length;
  try {
    await model.world.tick();
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
  for (const message of model.world.posted.slice(before))
    tell(model, `#${message.channel} gets a digest: ${message.paperIds.join(', ') || '(empty)'}`);
  if (model.world.crashed) {
    tell(model, 'the process is killed; it restarts');
    model.world.restart();
  }
  await observePauses(model);
}

/** The bot pauses a channel refusing past the horizon; only then, and from then on silent. */
async function observePauses(model: Model): Promise<void> {
  const now = model.world.clock.now().getTime();
  for (const c of model.channels.values()) {
    const paused = (await model.world.bot.store.getChannel(c.ref))?.paused ?? false;
    if (paused === c.paused) continue;
    expect(paused, `#${label(c.ref)} resumed without a command`).toBe(true);
    const since = c.refusedSince;
    if (since === null || now - since < model.disableAfterDays * DAY_MS)
      throw new Error(`#${label(c.ref)} was paused without refusing for the horizon`);
    tell(model, `#${label(c.ref)} is paused: it refused for ${model.disableAfterDays} days`);
    c.paused = true;
    goSilent(model, c);
  }
}

/** Papers listed as skipped in runs of a channel paused for refusing past the horizon. */
export async function skippedIn(model: Model, ref: ChannelRef): Promise<Set<string>> {
  return new Set(
    (await model.world.bot.store.recentDigestRuns(ref, 1000))
      .filter((r) => r.lastError?.startsWith('skipped'))
      .flatMap((r) => r.paperIds),
  );
}

/**
 * After every step: no paper twice to a channel, nothing it may not get (old, replaced, off
 * its topics), nothing while its digest is off or paused, and its cursor behind no paper it
 * must still get.
 */
export async function checkInvariants(model: Model): Promise<void> {
  const { world } = model;
  for (const c of model.channels.values()) {
    const name = `#${label(c.ref)}`;
    const got = postsTo(model, c);
    expect(new Set(got).size, `${name} got a paper twice`).toBe(got.length);
    for (const id of got) {
      expect(model.never.has(id), `${name} got old ${id}`).toBe(false);
      expect(c.allowed.has(id), `${name} got ${id}, which never matched its topics`).toBe(true);
    }
    if (c.postsWhenSilent !== null)
      expect(got.length, `${name} got a digest while off or paused`).toBe(c.postsWhenSilent);
    const cursor = (await world.bot.store.getChannel(c.ref))?.lastDigestAt;
    if (!cursor) continue;
    const posted = new Set(got);
    let skipped: Set<string> | undefined; // read only when needed: it is a store query
    for (const id of c.required) {
      if (posted.has(id)) continue;
      const paper = await world.bot.store.getPaper(id);
      if (!paper || paper.firstSeenAt > cursor) continue;
      skipped ??= await skippedIn(model, c.ref);
      if (!skipped.has(id)) throw new Error(`${name}: the cursor ${cursor} passed unposted ${id}`);
    }
  }
}

/** At the end: every paper a channel must get reached it, or is listed as skipped. */
export async function checkDelivered(model: Model): Promise<void> {
  for (const c of model.channels.values()) {
    const got = new Set(postsTo(model, c));
    const skipped = await skippedIn(model, c.ref);
    for (const id of c.required)
      if (!got.has(id) && !skipped.has(id)) throw new Error(`#${label(c.ref)} never got ${id}`);
  }
}
