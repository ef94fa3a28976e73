import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/dispatch.js';
import type { AnswerReply } from '../../../src/commands/reply.js';
import { memoryBot, record } from '../../commands/bot-fixture.js';

type Fixture = Awaited<ReturnType<typeof memoryBot>>;
let fixture: Fixture;

beforeAll(async () => {
  fixture = await memoryBot();
});
afterAll(async () => {
  await fixture.bot.close();
});

/** The whole `/papers ask` path, as every platform runs it (no model configured). */
async function ask(question: string): Promise<AnswerReply> {
  const reply = await runCommand({ name: 'ask', options: { question } }, fixture.context());
  if (reply.kind !== 'answer') throw new Error(`expected an answer, got ${reply.kind}`);
  return reply;
}

/** Questions about the bundled sample page, each judged by the paper that answers it. */
const JUDGED: Array<[question: string, title: string]> = [
  ['how can an LLM unlearn one skill but keep the others?', 'Effective Skill Unlearning'],
  ['which crossover does CycleQD use?', 'via CycleQD'],
  ['how do robots learn from generative simulation?', 'RoboGen'],
  [
    'how does knowledge distillation transfer abilities from GPT-4 to open-source models?',
    'A Survey on Knowledge Distillation',
  ],
  ['how are procedural mistakes detected online in egocentric videos?', 'TI-PREGO'],
  ['what does the Missing-Skill-Profile of the student track?', 'Skill-Targeted Adaptive Training'],
  ['how are skill boundaries found in unsegmented Minecraft videos?', 'Open-World Skill Discovery'],
  ['how many verifiable examples does the Guru reasoning corpus hold?', 'Revisiting Reinforcement'],
  ['what happens when shirkers answers are added to instruction tuning data?', 'Instruct-SkillMix'],
  ['does the FLEX fitness dataset record electromyography signals?', 'FLEX'],
  ['can RL teach an LLM to compose string transformation functions?', 'From f(x) and g(x)'],
  ['how do multiple critics help skill discovery for robotic manipulation?', 'SLIM'],
];

const UNANSWERABLE = [
  'what is the boiling point of water on mars?',
  'how do quantum computers factor large integers?',
  'which recipe makes the best sourdough bread?',
];

/**
 * Questions one paper alone answers: every quoted sentence must come from it. Another paper's
 * sentence sharing one word with the question ("keeping computational requirements
 * manageable" for "keep the others") is padding.
 */
const ONE_PAPER: Array<[question: string, title: string]> = [
  ['how can an LLM unlearn one skill but keep the others?', 'Effective Skill Unlearning'],
  ['which crossover does CycleQD use?', 'via CycleQD'],
  ['how many verifiable examples does the Guru reasoning corpus hold?', 'Revisiting Reinforcement'],
  ['does the FLEX fitness dataset record electromyography signals?', 'FLEX'],
  ['how are procedural mistakes detected online in egocentric videos?', 'TI-PREGO'],
];

describe('ask on the bundled sample (judged)', () => {
  it.each(JUDGED)('%s → cites "%s" first', async (question, title) => {
    const answer = await ask(question);
    expect(answer.unanswered).toBeUndefined();
    expect(answer.source).toEqual({ kind: 'abstracts' });
    expect(answer.sentences.length).toBeGreaterThanOrEqual(2);
    expect(answer.sentences.length).toBeLessThanOrEqual(4);
    expect(answer.sentences[0]?.citations).toEqual([1]);
    expect(answer.sources[0]?.title).toContain(title);
  });

  it.each(UNANSWERABLE)(
    '%s → the stored papers do not answer it; a search is offered',
    async (question) => {
      const answer = await ask(question);
      // Said plainly (the renderers' golden files show the words), never padded with unrelated text.
      expect(answer.unanswered?.suggestion).toMatch(/^\/papers search \S/);
      expect(answer.sentences).toEqual([]);
      expect(answer.sources).toEqual([]);
      expect(answer.related).toEqual([]);
    },
  );

  it.each(ONE_PAPER)('%s → quotes only "%s", no unrelated sentence', async (question, title) => {
    const answer = await ask(question);
    expect(answer.sources.map((p) => p.title)).toEqual([expect.stringContaining(title)]);
    expect(answer.sentences.every((s) => s.citations.join() === '1')).toBe(true);
  });

  it.each(['what is the best paper?', 'which is the most interesting paper?'])(
    '%s → a judgement no abstract makes: not answered from sentences that merely hold the word',
    async (question) => {
      const answer = await ask(question);
      expect(answer.unanswered?.suggestion).toBe('/papers latest');
      expect(answer.sentences).toEqual([]);
      expect(answer.sources).toEqual([]);
    },
  );
});

describe('ask with a bare arXiv id or link', () => {
  // Its own store: one more paper must not change the judged answers above.
  let own: Fixture;
  beforeAll(async () => {
    own = await memoryBot({ sample: false });
    await own.bot.store.upsertPapers(
      [record('2410.14735', 'Agent Skill Acquisition via CycleQD')],
      own.clock.now(),
    );
    await own.bot.search.refresh?.();
  });
  afterAll(async () => {
    await own.bot.close();
  });
  const askOwn = (question: string) =>
    runCommand({ name: 'ask', options: { question } }, own.context());

  it.each(['2410.14735', 'https://arxiv.org/abs/2410.14735v1', 'arxiv.org/abs/2410.14735?'])(
    'ask %s shows that paper, as show does',
    async (question) => {
      expect(await askOwn(question)).toMatchObject({
        kind: 'detail',
        paper: { id: '2410.14735' },
      });
    },
  );

  it('an id not stored is said to match nothing, never searched as "2501 99999"', async () => {
    const reply = await askOwn('2501.99999');
    expect(reply).toMatchObject({ kind: 'error', code: 'NOT_FOUND' });
    expect(reply.kind === 'error' && reply.message).toContain('No paper matches "2501.99999"');
  });
});
