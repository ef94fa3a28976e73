import { describe, expect, it } from 'vitest';
import { embedsLength, LIMITS, renderReply } from '../../src/adapters/discord/render-reply.js';
import { renderText } from '../../src/adapters/shell/render-text.js';
import { LIMITS as SLACK_LIMITS } from '../../src/adapters/slack/mrkdwn.js';
import { renderReply as renderSlack } from '../../src/adapters/slack/render-reply.js';
import type { AnswerReply } from '../../src/commands/reply.js';
import { HOSTILE_TITLE, makePaper } from './slack/papers.js';

const cycleqd = makePaper();
const sample = makePaper({ id: 't:abc', arxivId: null, title: 'A sample paper', links: {} });

const answered: AnswerReply = {
  kind: 'answer',
  question: 'which crossover does CycleQD use?',
  sentences: [
    {
      text: 'CycleQD uses a model merging based crossover and an SVD-based mutation.',
      citations: [1],
    },
    { text: 'Each task metric is alternated as the quality measure.', citations: [1, 2] },
  ],
  sources: [cycleqd, sample],
  related: [makePaper({ id: '2401.00001', arxivId: '2401.00001', title: 'Skill-it!' })],
  notes: [
    'No paper has all of: crossover, cycleqd. This answer draws on papers with some of them.',
  ],
  source: { kind: 'abstracts' },
};

const byModel: AnswerReply = {
  ...answered,
  notes: [],
  source: { kind: 'model', model: 'llama3.1:8b' },
};

const unanswered: AnswerReply = {
  kind: 'answer',
  question: 'what is the boiling point of water on mars?',
  sentences: [],
  sources: [],
  related: [],
  notes: [],
  source: { kind: 'abstracts' },
  unanswered: { suggestion: '/papers search boiling point water mars' },
};

const GOLDEN: Array<[string, AnswerReply]> = [
  ['answer', answered],
  ['answer-model', byModel],
  ['answer-unanswered', unanswered],
];

const hostile: AnswerReply = {
  ...answered,
  question: `@everyone ${HOSTILE_TITLE}`,
  sentences: [{ text: `<@U1> @here ${HOSTILE_TITLE} [x](https://evil.example)`, citations: [1] }],
  sources: [makePaper({ title: HOSTILE_TITLE })],
  notes: ['<!channel> note'],
};

const huge: AnswerReply = {
  ...answered,
  question: 'why '.repeat(400),
  sentences: Array.from({ length: 4 }, (_, i) => ({
    text: `${'long sentence words '.repeat(200)}${i}.`,
    citations: [1, 2, 3, 4],
  })),
  sources: Array.from({ length: 4 }, (_, i) =>
    makePaper({ id: `2401.0000${i}`, title: 'T'.repeat(400) }),
  ),
  related: Array.from({ length: 3 }, () => makePaper({ title: 'R'.repeat(400) })),
};

describe('answer renderers', () => {
  it.each(GOLDEN)('%s matches its golden files on every platform', async (name, reply) => {
    await expect(renderText(reply, { color: false })).toMatchFileSnapshot(
      `./shell/__golden__/${name}.txt`,
    );
    await expect(JSON.stringify(renderSlack(reply), null, 2)).toMatchFileSnapshot(
      `./slack/golden/${name}.golden`,
    );
    const discord = renderReply(reply, { pageId: () => 'unused' });
    await expect(JSON.stringify(discord, null, 2)).toMatchFileSnapshot(
      `./discord/__golden__/${name}.json`,
    );
  });

  it('escapes paper and question text: no mention, ping or injected link anywhere', () => {
    const discord = renderReply(hostile, { pageId: () => 'unused' });
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const embed = discord.embeds[0];
    const embedText = [
      embed?.title,
      embed?.description,
      ...(embed?.fields ?? []).map((f) => f.value),
    ].join('\n');
    expect(embedText).not.toMatch(/(?<!\\)<@U1>|@everyone|@here/);
    expect(embedText).not.toMatch(/(?<!\\)\]\(https:\/\/evil/);
    expect(embedText).toContain('\\[x\\](https://evil.example)');
    const slack = JSON.stringify(renderSlack(hostile));
    expect(slack).not.toMatch(/<!channel>|<@U1>|<@U123>|<https:\/\/evil/);
    expect(renderText(hostile, { color: false })).not.toMatch(/\u001b/);
  });

  it('stays within every platform limit with a huge answer', () => {
    const discord = renderReply(huge, { pageId: () => 'unused' });
    expect(embedsLength(discord.embeds)).toBeLessThanOrEqual(LIMITS.total);
    for (const e of discord.embeds) {
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    const slack = renderSlack(huge);
    expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(slack.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    for (const b of slack.blocks) {
      if (b.type === 'section')
        expect(b.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
  });
});
