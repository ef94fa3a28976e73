import { expect } from 'vitest';
import type {
  ChoiceReply,
  ErrorReply,
  ListReply,
  NoticeReply,
  Reply,
} from '../../src/commands/reply.js';
import type { PaperRecord } from '../../src/core/paper.js';
import type { PaperSearch } from '../../src/core/search/types.js';
import type { AsyncStore } from '../../src/core/store/async-store.js';

/**
 * The shared scenario table: every scenario runs against the commands in memory
 * (test/commands/scenarios.test.ts) and through each platform adapter. A runner gives
 * each scenario a fresh channel of a bot built with `createBot` on the bundled sample
 * (clock at SCENARIO_NOW) plus SCENARIO_RECORDS, runs `setup` there first (with manage permission), then
 * `text` with `canManage` (default true). Expectations look only at the Reply.
 */
export interface CommandScenario {
  name: string;
  text: string;
  canManage?: boolean;
  /** Commands run first in the same channel, as a user who may manage it. */
  setup?: string[];
  expect: (reply: Reply) => void;
}

export const SCENARIO_NOW = '2025-12-12T12:00:00.000Z';

function liveRecord(arxivId: string, title: string, upvotes: number): PaperRecord {
  return {
    arxivId,
    version: 1,
    title,
    abstract: `${title}. We study zeolite catalysts for hydrogen storage.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    authorCount: 2,
    publishedAt: '2025-12-12',
    source: 'huggingface',
    links: { arxivAbs: `https://arxiv.org/abs/${arxivId}` },
    upvotes,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt: '2025-12-12T10:00:00.000Z',
  };
}

/**
 * Papers from a live feed (not samples, so digests may post them), on a subject none of
 * the sample papers is about. Every runner stores them before the scenarios, first seen
 * at SCENARIO_NOW: a channel's first digest looks back to when its schedule was set,
 * which in a scenario is SCENARIO_NOW too.
 */
export const SCENARIO_RECORDS: PaperRecord[] = [
  liveRecord('2512.90001', 'Zeolite frameworks for hydrogen storage', 12),
  liveRecord('2512.90002', 'Zeolite catalysis at low temperature', 30),
];

/** Stores SCENARIO_RECORDS in a runner's bot and makes them searchable. */
export async function ingestScenarioRecords(bot: { store: AsyncStore; search: PaperSearch }) {
  await bot.store.upsertPapers(SCENARIO_RECORDS, new Date(SCENARIO_NOW));
  await bot.search.refresh();
}

function as<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind !== kind) {
    const detail = reply.kind === 'error' ? `: ${reply.message}` : '';
    throw new Error(`expected a ${kind} reply, got ${reply.kind}${detail}`);
  }
  return reply as Extract<Reply, { kind: K }>;
}

function error(reply: Reply, code: ErrorReply['code'], ...mentions: RegExp[]): ErrorReply {
  const e = as(reply, 'error');
  expect(e.code).toBe(code);
  for (const mention of mentions) expect(e.message).toMatch(mention);
  return e;
}

function text(reply: NoticeReply): string {
  return [reply.title ?? '', ...reply.lines].join('\n');
}

function titles(reply: ListReply | ChoiceReply): string[] {
  return reply.kind === 'list'
    ? reply.items.map((i) => i.paper.title)
    : reply.candidates.map((p) => p.title);
}

const ROBOT_PAPERS = [/^RoboGen:/, /^UBSoft:/, /^RaC:/];

export const commandScenarios: CommandScenario[] = [
  // search
  {
    name: 'search lists robot-learning papers, a page at a time',
    text: 'search robotics',
    expect: (reply) => {
      const list = as(reply, 'list');
      expect(list.page).toBe(1);
      expect(list.total).toBeGreaterThan(list.items.length);
      expect(list.next).toEqual({ command: 'search', args: { query: 'robotics' }, page: 2 });
      expect(list.prev).toBeUndefined();
      expect(list.items.every((i) => i.snippet !== undefined)).toBe(true);
    },
  },
  {
    name: 'search finds RoboGen, UBSoft and RaC on its first page',
    text: 'search robot learning',
    expect: (reply) => {
      const list = as(reply, 'list');
      expect(list.items.length).toBeGreaterThan(0);
      const found = titles(list);
      for (const title of ROBOT_PAPERS) expect(found.some((t) => title.test(t))).toBe(true);
    },
  },
  {
    name: 'search page 2 links back to page 1',
    text: 'search robotics page:2',
    expect: (reply) => {
      const list = as(reply, 'list');
      expect(list.page).toBe(2);
      expect(list.prev).toEqual({ command: 'search', args: { query: 'robotics' }, page: 1 });
    },
  },
  {
    name: 'search with nothing matching says so',
    text: 'search qwzxv',
    expect: (reply) => {
      const list = as(reply, 'list');
      expect(list.items).toEqual([]);
      expect(list.emptyText).toMatch(/No paper matches "qwzxv"/);
    },
  },
  {
    name: 'search without a query names the missing option',
    text: 'search',
    expect: (reply) =>
      expect(error(reply, 'INPUT_INVALID', /needs query/).usage).toMatch(/search <query>/),
  },
  {
    name: 'search with a bad since says what a day looks like',
    text: 'search robots since:yesterday',
    expect: (reply) => error(reply, 'INPUT_INVALID', /since must be a day written YYYY-MM-DD/),
  },
  // show
  {
    name: 'show finds a paper from a fragment of its title',
    text: 'show CycleQD',
    expect: (reply) => {
      const detail = as(reply, 'detail');
      expect(detail.paper.title).toBe(
        'Agent Skill Acquisition for Large Language Models via CycleQD',
      );
      expect(detail.paper.abstract).toMatch(/Quality Diversity/);
    },
  },
  {
    name: 'show offers a choice when several papers match',
    text: 'show skill',
    expect: (reply) => {
      const choice = as(reply, 'choice');
      expect(choice.command).toBe('show');
      expect(choice.candidates.length).toBeGreaterThan(1);
      expect(choice.candidates.length).toBeLessThanOrEqual(25);
    },
  },
  {
    name: 'show with no match suggests a search',
    text: 'show qwzxv plorb',
    expect: (reply) =>
      error(reply, 'NOT_FOUND', /No paper matches "qwzxv plorb"/, /\/papers search qwzxv plorb/),
  },
  {
    name: 'show without a paper names the option',
    text: 'show',
    expect: (reply) => error(reply, 'INPUT_INVALID', /needs paper/),
  },
  {
    name: 'show with only control characters names the missing paper',
    text: 'show \u0001\u009b',
    expect: (reply) => error(reply, 'INPUT_INVALID', /needs paper/),
  },
  // latest
  {
    name: 'latest lists the newest feed day first',
    text: 'latest 4',
    expect: (reply) => {
      const list = as(reply, 'list');
      expect(list.items).toHaveLength(4);
      const days = list.items.map((i) => i.paper.publishedAt ?? i.paper.firstSeenAt.slice(0, 10));
      expect([...days].sort().reverse()).toEqual(days);
    },
  },
  {
    name: 'latest refuses a count out of range',
    text: 'latest 30',
    expect: (reply) => error(reply, 'INPUT_INVALID', /count must be a whole number from 1 to 25/),
  },
  // subscribe
  {
    name: 'subscribe says how many recent papers match and sets the default schedule',
    text: 'subscribe robotics',
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      expect(notice).toMatch(/now follows "robotics"/);
      expect(notice).toMatch(/[1-9]\d* papers? first seen in the last 7 days match/);
      expect(notice).toMatch(/Digest: 09:00 UTC/);
    },
  },
  {
    name: 'subscribe to a topic already followed is a friendly notice',
    setup: ['subscribe robotics'],
    text: 'subscribe  Robotics ',
    expect: (reply) => expect(text(as(reply, 'notice'))).toMatch(/already follows "robotics"/),
  },
  {
    name: 'subscribe to a topic nothing matches warns it may be too narrow',
    text: 'subscribe qwzxv',
    expect: (reply) => expect(text(as(reply, 'notice'))).toMatch(/0 papers .* too narrow/s),
  },
  {
    name: 'subscribe to only a control character names the missing topic',
    text: 'subscribe \u0000',
    expect: (reply) => error(reply, 'INPUT_INVALID', /needs topic/),
  },
  {
    name: 'subscribe drops control characters such as a terminal colour escape',
    text: 'subscribe \u001b[31mred\u007f',
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      expect(notice).toMatch(/now follows "\[31mred"/);
      expect(notice.replace(/\n/g, ' ')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    },
  },
  {
    name: 'subscribe stops at 25 topics',
    setup: Array.from({ length: 25 }, (_, i) => `subscribe topic ${i}`),
    text: 'subscribe one more',
    expect: (reply) => error(reply, 'INPUT_INVALID', /25 topics/),
  },
  {
    name: 'subscribe is refused without the manage permission',
    text: 'subscribe robotics',
    canManage: false,
    expect: (reply) => error(reply, 'PERMISSION_DENIED', /permission/),
  },
  // unsubscribe
  {
    name: 'unsubscribe stops following a topic',
    setup: ['subscribe robotics', 'subscribe diffusion'],
    text: 'unsubscribe ROBOTICS',
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      expect(notice).toMatch(/no longer follows "robotics"/);
      expect(notice).toMatch(/still follows 1 topic/);
    },
  },
  {
    name: 'unsubscribe from an unknown topic lists the followed ones',
    setup: ['subscribe robotics'],
    text: 'unsubscribe knitting',
    expect: (reply) => error(reply, 'NOT_FOUND', /does not follow "knitting"/, /"robotics"/),
  },
  {
    name: 'unsubscribe is refused without the manage permission',
    setup: ['subscribe robotics'],
    text: 'unsubscribe robotics',
    canManage: false,
    expect: (reply) => error(reply, 'PERMISSION_DENIED'),
  },
  // subscriptions
  {
    name: 'subscriptions lists topics and the schedule',
    setup: ['subscribe robotics', 'schedule 07:15 Asia/Tokyo weekdays 5'],
    text: 'subscriptions',
    canManage: false,
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      expect(notice).toMatch(/robotics/);
      expect(notice).toMatch(/07:15 Asia\/Tokyo, weekdays/);
      expect(notice).toMatch(/up to 5 papers/);
    },
  },
  {
    name: 'subscriptions of a new channel explains how to start',
    text: 'subscriptions',
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      expect(notice).toMatch(/No topics yet/);
      expect(notice).toMatch(/Digest: off/);
    },
  },
  {
    name: 'subscriptions takes no options',
    text: 'subscriptions robotics',
    expect: (reply) => error(reply, 'INPUT_INVALID', /takes no options/),
  },
  // schedule
  {
    name: 'schedule sets time, zone, days and size',
    text: 'schedule 7:30 europe/berlin weekdays 5',
    expect: (reply) =>
      expect(text(as(reply, 'notice'))).toMatch(
        /07:30 Europe\/Berlin, weekdays \(Mon-Fri\), up to 5 papers/,
      ),
  },
  {
    name: 'schedule rejects a time zone that is not IANA, with a suggestion',
    text: 'schedule 09:00 Berlin',
    expect: (reply) =>
      error(reply, 'INPUT_INVALID', /timezone "Berlin" is not an IANA time zone/, /Europe\/Berlin/),
  },
  {
    name: 'schedule rejects an unknown zone',
    text: 'schedule 09:00 Mars/Olympus_Mons',
    expect: (reply) =>
      error(reply, 'INPUT_INVALID', /"Mars\/Olympus_Mons" is not an IANA time zone/),
  },
  {
    name: 'schedule rejects a time that is not HH:MM',
    text: 'schedule 9am',
    expect: (reply) => error(reply, 'INPUT_INVALID', /time must be HH:MM/),
  },
  {
    name: 'schedule rejects unknown days',
    text: 'schedule 09:00 UTC sundays',
    expect: (reply) => error(reply, 'INPUT_INVALID', /days must be every or weekdays/),
  },
  {
    name: 'schedule off stops the digest and keeps the topics',
    setup: ['subscribe robotics'],
    text: 'schedule off',
    expect: (reply) =>
      expect(text(as(reply, 'notice'))).toMatch(/no digest now\. Its topics are kept/),
  },
  {
    name: 'schedule is refused without the manage permission',
    text: 'schedule 09:00',
    canManage: false,
    expect: (reply) => error(reply, 'PERMISSION_DENIED'),
  },
  // digest
  {
    name: 'digest previews an empty digest: sample papers are never posted',
    setup: ['subscribe robotics'],
    text: 'digest',
    canManage: false,
    expect: (reply) => {
      const digest = as(reply, 'digest');
      expect(digest.sections).toEqual([]);
      expect(digest.date).toBe('2025-12-13');
      expect(digest.title).toMatch(/due 2025-12-13 at 09:00 UTC/);
      expect(digest.emptyText).toMatch(/sample papers are never posted/);
    },
  },
  {
    name: 'digest previews the new papers of followed topics, most upvoted first',
    setup: ['subscribe zeolite'],
    text: 'digest',
    canManage: false,
    expect: (reply) => {
      const digest = as(reply, 'digest');
      expect(digest.date).toBe('2025-12-13');
      expect(digest.sections).toHaveLength(1);
      expect(digest.sections[0]?.topic).toBe('zeolite');
      expect(digest.sections[0]?.items.map((i) => i.paper.title)).toEqual([
        'Zeolite catalysis at low temperature',
        'Zeolite frameworks for hydrogen storage',
      ]);
      expect(digest.sections[0]?.items.every((i) => !i.paper.sample)).toBe(true);
    },
  },
  {
    name: 'digest takes no options',
    text: 'digest now',
    expect: (reply) => error(reply, 'INPUT_INVALID', /digest takes no options/),
  },
  // help
  {
    name: 'help lists every subcommand',
    text: 'help',
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      for (const name of [
        'search',
        'show',
        'latest',
        'subscribe',
        'unsubscribe',
        'subscriptions',
        'schedule',
        'digest',
      ]) {
        expect(notice).toContain(`/papers ${name}`);
      }
    },
  },
  {
    name: 'help explains one subcommand with its options and examples',
    text: 'help schedule',
    expect: (reply) => {
      const notice = text(as(reply, 'notice'));
      expect(notice).toContain('/papers schedule <time> [timezone] [days] [size]');
      expect(notice).toMatch(/timezone: IANA time zone/);
      expect(notice).toContain('/papers schedule 09:00 Europe/Berlin weekdays');
    },
  },
  {
    name: 'help for an unknown subcommand lists the real ones',
    text: 'help dance',
    expect: (reply) => error(reply, 'INPUT_INVALID', /subcommand must be search or show/),
  },
  {
    name: 'help for an unknown subcommand says there is no such subcommand',
    text: 'help nothing',
    expect: (reply) => {
      const e = error(reply, 'INPUT_INVALID', /There is no subcommand "nothing"/);
      for (const name of ['search', 'show', 'latest', 'subscribe', 'schedule', 'digest'])
        expect(e.message).toContain(name);
      expect(e.message).not.toMatch(/^subcommand must/);
    },
  },
  // unknown subcommand (text form only)
  {
    name: 'an unknown subcommand is named, with a suggestion for typos',
    text: 'serch robots',
    expect: (reply) =>
      error(reply, 'INPUT_INVALID', /no subcommand "serch"/, /Did you mean search\?/),
  },
];
