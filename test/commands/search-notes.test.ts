import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import type { AnswerReply, ListReply } from '../../src/commands/reply.js';
import { describeRelaxations, quoteQuery } from '../../src/commands/search-notes.js';
import { memoryBot } from './bot-fixture.js';

describe('search says what it did to the query', () => {
  let fixture: Awaited<ReturnType<typeof memoryBot>>;
  beforeAll(async () => {
    fixture = await memoryBot();
  });
  afterAll(async () => fixture.bot.close());

  const search = async (query: string) =>
    (await runCommand({ name: 'search', options: { query } }, fixture.context())) as ListReply;

  it('a fallback to any word and a typo correction are told in one line', async () => {
    const reply = await search('diffusion modls');
    expect(reply.kind).toBe('list');
    expect(reply.total).toBeGreaterThan(0);
    expect(reply.title).toBe('Papers matching "diffusion modls"');
    expect(reply.note).toBe(
      'No paper has all of: diffusion, modls. Showing papers with "models" (corrected from "modls").',
    );
  });

  it('a correction alone, and a dropped stop word, are told too', async () => {
    expect((await search('langauge')).note).toBe(
      'Showing papers with "language" (corrected from "langauge").',
    );
    expect((await search('the robot')).note).toBe('Left out common word "the".');
  });

  it('ask tells a relaxed retrieval with the same line as search, in its own words', async () => {
    const ask = async (question: string) =>
      (await runCommand({ name: 'ask', options: { question } }, fixture.context())) as AnswerReply;
    expect((await ask('how do robots lern from generative simulation?')).notes).toEqual([
      'Answering from papers with "learn" (corrected from "lern").',
    ]);
    expect((await ask('diffusion modls for robot skills')).notes).toEqual([
      'No paper has all of: diffusion, modls, robot, skills. Answering from papers with "models" (corrected from "modls") or "robot" or "skills".',
    ]);
    expect((await ask('which crossover does CycleQD use?')).notes).toEqual([]);
  });

  it('a query found as written has no note; the header quotes the query once', async () => {
    const plain = await search('language models');
    expect(plain.note).toBeUndefined();
    const quoted = await search('"large language" -agent');
    expect(quoted.title).toBe('Papers matching "large language" -agent');
    expect(quoteQuery('robots')).toBe('"robots"');
    expect(describeRelaxations([])).toBeNull();
  });
});
