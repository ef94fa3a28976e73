import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../../src/adapters/discord/render-reply.js';
import { renderReply as renderSlack } from '../../../src/adapters/slack/render-reply.js';
import type { CommandContext } from '../../../src/commands/context.js';
import { runCommand } from '../../../src/commands/dispatch.js';
import type { AnswerReply, Reply } from '../../../src/commands/reply.js';
import type { LlmSettings } from '../../../src/config.js';
import { MODEL_INSTRUCTIONS } from '../../../src/core/answer/model-prompt.js';
import { memoryBot } from '../../commands/bot-fixture.js';
import { type FakeLlm, startFakeLlm } from '../../fakes/llm/fake-llm.js';

type Fixture = Awaited<ReturnType<typeof memoryBot>>;
let fixture: Fixture;
let llm: FakeLlm;

beforeAll(async () => {
  fixture = await memoryBot();
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
  await fixture.bot.close();
});
afterEach(() => {
  llm.requests.length = 0;
});

const QUESTION = 'which crossover does CycleQD use?';

async function ask(
  settings: Partial<LlmSettings> | null,
  question = QUESTION,
  over: Partial<CommandContext> = {},
) {
  const base = { ...fixture.context(), ...over };
  const llmSettings: LlmSettings | null = settings
    ? { baseUrl: llm.baseUrl, model: 'fake-7b', timeoutMs: 5000, apiKey: null, ...settings }
    : null;
  const ctx = { ...base, config: { ...base.config, llm: llmSettings } };
  return asAnswer(await runCommand({ name: 'ask', options: { question } }, ctx));
}

function asAnswer(reply: Reply): AnswerReply {
  if (reply.kind !== 'answer') throw new Error(`expected an answer, got ${reply.kind}`);
  return reply;
}

describe('ask with a configured OpenAI-compatible model', () => {
  it('sends only the fixed instructions, the question and the retrieved abstracts', async () => {
    llm.mode = { kind: 'answer', content: 'CycleQD uses model merging as its crossover [1].' };
    await ask({ apiKey: 'sk-test-key' });
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0];
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test-key');
    const body = request?.body as {
      model: string;
      messages: Array<{ role: string; content: string }>;
    };
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'temperature']);
    expect(body.model).toBe('fake-7b');
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[0]?.content).toBe(MODEL_INSTRUCTIONS);
    const [head, list] = (body.messages[1]?.content ?? '').split('\n\nAbstracts:\n');
    expect(head).toBe(`Question: ${QUESTION}`);
    const abstracts = (list ?? '').split('\n\n').map((entry, i) => {
      expect(entry.startsWith(`[${i + 1}] `)).toBe(true);
      return entry.slice(`[${i + 1}] `.length);
    });
    expect(abstracts.length).toBeGreaterThan(0);
    // Every entry is a stored paper's abstract, verbatim (whitespace collapsed): nothing else.
    const stored = [...fixture.bot.sqlite!.iteratePapers()].flat();
    const known = new Set(stored.map((p) => p.abstract.replace(/\s+/g, ' ').trim()));
    for (const a of abstracts) expect(known.has(a)).toBe(true);
    expect(abstracts[0]).toContain('CycleQD');
  });

  it("shows the model's answer with its citations; a claim citing only invented papers is dropped", async () => {
    llm.mode = {
      kind: 'answer',
      content:
        'CycleQD merges models as its crossover [1]. It mutates with SVD [1][9]. Cats can fly [7]. Dogs too [0, 42].',
    };
    const reply = await ask({});
    expect(reply.source).toEqual({ kind: 'model', model: 'fake-7b' });
    expect(reply.sentences).toEqual([
      { text: 'CycleQD merges models as its crossover.', citations: [1] },
      { text: 'It mutates with SVD.', citations: [1] },
    ]);
    expect(reply.sources[0]?.title).toContain('CycleQD');
    expect(reply.sources).toHaveLength(1);
  });

  it('an answer citing only invented papers falls back to the quoted abstracts', async () => {
    llm.mode = { kind: 'answer', content: 'Cats can fly [7].' };
    const reply = await ask({});
    expect(reply.source).toEqual({ kind: 'abstracts' });
    expect(reply.sentences.map((s) => s.text)).not.toContain('Cats can fly.');
    expect(reply.sources[0]?.title).toContain('CycleQD');
  });

  it('"The papers don\'t say." is shown without an empty Sources section', async () => {
    llm.mode = { kind: 'answer', content: "The papers don't say." };
    const reply = await ask({});
    expect(reply.sentences).toEqual([{ text: "The papers don't say.", citations: [] }]);
    expect(reply.sources).toEqual([]);
    const discord = renderDiscord(reply, { pageId: () => 'p' }).embeds[0];
    expect(discord?.description).toBe("The papers don't say.");
    expect(JSON.stringify(discord?.fields ?? [])).not.toContain('Sources');
    expect(JSON.stringify(discord?.fields ?? [])).not.toContain('—');
    const slack = JSON.stringify(renderSlack(reply).blocks);
    expect(slack).toContain("The papers don't say.");
    expect(slack).not.toContain('Sources');
  });

  it.each([
    ['a 500', { kind: 'status', status: 500 } as const, 'answered with an error'],
    ['malformed JSON', { kind: 'malformed' } as const, 'could not read'],
    ['an answer with no content', { kind: 'answer', content: '' } as const, 'could not read'],
  ])('falls back to the extractive answer with a note on %s', async (_name, mode, note) => {
    llm.mode = mode;
    const reply = await ask({});
    expect(llm.requests).toHaveLength(1);
    expect(reply.source).toEqual({ kind: 'abstracts' });
    expect(reply.notes.at(-1)).toContain(note);
    expect(reply.sources[0]?.title).toContain('CycleQD');
    expect(reply.sentences.length).toBeGreaterThanOrEqual(2);
  });

  it('falls back with a note when the model never answers within the timeout', async () => {
    llm.mode = { kind: 'hang' };
    const timeout = new AbortController();
    const timeouts: number[] = [];
    const timeoutSignal = (ms: number) => {
      timeouts.push(ms);
      return timeout.signal;
    };
    const arrived = llm.nextRequest();
    const pending = ask({ timeoutMs: 4000 }, QUESTION, { timeoutSignal });
    // The timeout fires once the model holds the request: no real time passes.
    await arrived;
    timeout.abort();
    const reply = await pending;
    expect(timeouts).toEqual([4000]);
    expect(llm.requests).toHaveLength(1);
    expect(reply.source).toEqual({ kind: 'abstracts' });
    expect(reply.notes.at(-1)).toContain('did not answer in time');
    expect(reply.sources[0]?.title).toContain('CycleQD');
  });

  it('makes no request at all when no model is configured', async () => {
    llm.mode = { kind: 'answer', content: 'Should never be asked [1].' };
    const reply = await ask(null);
    expect(reply.source).toEqual({ kind: 'abstracts' });
    expect(reply.sources[0]?.title).toContain('CycleQD');
    expect(llm.requests).toHaveLength(0);
  });

  it('does not ask the model when the stored papers do not answer the question', async () => {
    const reply = await ask({}, 'what is the boiling point of water on mars?');
    expect(reply.unanswered?.suggestion).toBe('/papers search boiling point water mars');
    expect(llm.requests).toHaveLength(0);
  });
});
