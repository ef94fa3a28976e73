import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import type { AnswerReply, Reply } from '../../src/commands/reply.js';
import { answerThreadQuestion } from '../../src/commands/thread-question.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { recordPostedDigest } from '../support/posted-digest.js';
import { memoryBot } from './bot-fixture.js';

type Fixture = Awaited<ReturnType<typeof memoryBot>>;
let fixture: Fixture;
const channel: ChannelRef = { platform: 'fake', workspace: 'w', channel: 'digests' };
const QUESTION = 'how are the skills learned?';
let skillMimicId = '';

function asAnswer(reply: Reply): AnswerReply {
  if (reply.kind !== 'answer') throw new Error(`expected an answer, got ${reply.kind}`);
  return reply;
}

beforeAll(async () => {
  fixture = await memoryBot();
  const hits = (await fixture.bot.search.search('SkillMimic basketball')).hits;
  skillMimicId = hits[0]?.paper.id ?? '';
  await recordPostedDigest(fixture.bot.store, channel, [skillMimicId], 'msg-digest-1');
});
afterAll(async () => {
  await fixture.bot.close();
});

describe('questions in a digest thread', () => {
  it("answers about the thread's digest papers first", async () => {
    const reply = asAnswer(
      await answerThreadQuestion(QUESTION, fixture.context(), [
        { channel, messageId: 'msg-digest-1' },
      ]),
    );
    expect(reply.sources[0]?.title).toContain('SkillMimic');
  });

  it('with no digest behind the thread, answers like /papers ask', async () => {
    const inThread = asAnswer(
      await answerThreadQuestion(QUESTION, fixture.context(), [
        { channel, messageId: 'not-a-digest' },
      ]),
    );
    const asked = asAnswer(
      await runCommand({ name: 'ask', options: { question: QUESTION } }, fixture.context()),
    );
    expect(inThread).toEqual(asked);
    expect(asked.sources[0]?.title ?? '').not.toContain('SkillMimic');
  });

  it('a bare mention gets a hint, not an empty answer', async () => {
    const reply = await answerThreadQuestion('  ', fixture.context(), []);
    expect(reply.kind).toBe('notice');
  });
});

describe('thread question limits', () => {
  it.each([501, 4000, 40000])(
    'a %i-character question is refused like /papers ask, saying the limit',
    async (n) => {
      const question = 'how are the skills learned? '.repeat(Math.ceil(n / 28)).slice(0, n);
      const reply = await answerThreadQuestion(question, fixture.context(), []);
      expect(reply).toMatchObject({ kind: 'error', code: 'INPUT_INVALID' });
      expect(JSON.stringify(reply)).toContain('at most 500 characters');
    },
  );

  it('a 500-character question is answered', async () => {
    const question = `${'how are the skills learned '.repeat(19)}`.slice(0, 499);
    const reply = await answerThreadQuestion(`${question}?`, fixture.context(), []);
    expect(reply.kind).toBe('answer');
  });
});
