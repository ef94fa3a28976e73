import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/adapters/slack/blocks.js';
import { highlightSnippet, LIMITS } from '../../../src/adapters/slack/mrkdwn.js';
import { renderDigestThread } from '../../../src/adapters/slack/render-digest.js';
import { isEphemeral, renderReply } from '../../../src/adapters/slack/render-reply.js';
import type { Reply } from '../../../src/commands/reply.js';
import { buttonsOf, type LooseBlock } from './loose-blocks.js';
import { HOSTILE_TITLE, makePaper } from './papers.js';

const list: Reply = {
  kind: 'list',
  title: 'Search: robotics',
  items: [
    {
      paper: makePaper(),
      snippet: { text: 'robots & agents learn <skills>', highlights: [{ start: 0, end: 6 }] },
    },
    {
      paper: makePaper({
        id: '2401.00001',
        arxivId: '2401.00001',
        title: 'Second',
        upvotes: null,
        authors: [],
        authorCount: 12,
      }),
    },
  ],
  page: 2,
  pages: 3,
  total: 12,
  next: { command: 'search', args: { query: 'robotics' }, page: 3 },
  prev: { command: 'search', args: { query: 'robotics' }, page: 1 },
};

const digest: Reply = {
  kind: 'digest',
  date: '2024-10-17',
  title: 'Paperboy digest',
  deliveryId: 'd-1',
  sections: [
    { topic: 'language models', items: [{ paper: makePaper(), why: 'matched: language, models' }] },
    {
      topic: 'robotics',
      items: [{ paper: makePaper({ id: '2401.00002', title: 'Robots' }), why: 'matched: robot' }],
    },
  ],
};

const GOLDEN: Array<[string, Reply]> = [
  ['list', list],
  [
    'list-relaxed',
    {
      ...list,
      note: 'No paper has all of: diffusion, modls. Showing papers with "models" (corrected from "modls").',
    } as Reply,
  ],
  ['detail', { kind: 'detail', paper: makePaper({ comment: '12 pages', comments: 3 }) }],
  [
    'choice',
    {
      kind: 'choice',
      prompt: 'Several papers match "agent":',
      command: 'show',
      candidates: [
        makePaper(),
        makePaper({ id: 't:abc', arxivId: null, title: 'Agents & tools', links: {} }),
      ],
    },
  ],
  ['digest', digest],
  [
    'error',
    {
      kind: 'error',
      code: 'INPUT_INVALID',
      message: 'since must be a date YYYY-MM-DD, got "<soon>"',
      usage: '/papers search <query> [since] [author] [page]',
    },
  ],
  [
    'notice',
    {
      kind: 'notice',
      title: 'Subscribed',
      lines: ['This channel now follows "robotics & control".'],
      ephemeral: true,
    },
  ],
  [
    'status',
    {
      kind: 'status',
      papers: 10,
      channels: 2,
      sources: [
        {
          name: 'huggingface',
          enabled: true,
          lastRunAt: null,
          lastSuccessAt: '2024-10-17T08:00:00Z',
          warning: null,
        },
      ],
      nextDigests: [
        {
          channel: 'slack:T1:C1',
          at: '2024-10-18T07:00:00Z',
          local: '2024-10-18 09:00 Europe/Berlin',
        },
      ],
      warnings: ['arxiv disabled'],
    },
  ],
];

function allTexts(message: SlackMessage): string[] {
  return JSON.stringify(message.blocks).match(/"text":"(?:[^"\\]|\\.)*"/g) ?? [];
}

describe('Slack renderers', () => {
  it.each(GOLDEN)('%s matches its golden file', async (name, reply) => {
    const message = renderReply(reply, {
      share: { command: 'search', options: { query: 'robotics', page: 2 } },
    });
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(`./golden/${name}.golden`);
  });

  it('digest thread form matches its golden file', async () => {
    if (digest.kind !== 'digest') throw new Error('fixture');
    await expect(JSON.stringify(renderDigestThread(digest), null, 2)).toMatchFileSnapshot(
      './golden/digest-thread.golden',
    );
  });

  it('escapes a hostile title everywhere: no mention, channel ping or injected link', () => {
    const paper = makePaper({
      title: HOSTILE_TITLE,
      authors: ['<@U999>'],
      abstract: '<!here> & more',
    });
    const replies: Reply[] = [
      { kind: 'detail', paper },
      { ...list, items: [{ paper }] } as Reply,
      { kind: 'choice', prompt: 'Pick one', command: 'show', candidates: [paper] },
      { ...digest, sections: [{ topic: '<!channel>', items: [{ paper, why: '<@U1>' }] }] } as Reply,
    ];
    for (const reply of replies) {
      const message = renderReply(reply);
      const json = JSON.stringify(message);
      expect(json).not.toContain('<!channel>');
      expect(json).not.toContain('<!here>');
      expect(json).not.toContain('<@U');
      expect(json).not.toContain('<https://evil');
      expect(json).toContain('&lt;!');
      expect(json).toContain('&amp;');
    }
    expect(renderReply({ kind: 'detail', paper }).blocks[0]).toMatchObject({
      text: {
        text: expect.stringContaining(
          '&lt;!channel&gt; and &lt;@U123&gt; &amp; &lt;https://evil.example|click&gt;',
        ),
      },
    });
  });

  it('grows a highlight inside a word to the whole word, since Slack bolds only words', () => {
    expect(
      highlightSnippet({ text: 'many robots walk', highlights: [{ start: 5, end: 10 }] }),
    ).toBe('many *robots* walk');
  });

  it('marks snippet highlights in bold and escapes around them', () => {
    expect(
      highlightSnippet({
        text: 'a <b> robot & c',
        highlights: [
          { start: 6, end: 11 },
          { start: 8, end: 12 },
        ],
      }),
    ).toBe('a &lt;b&gt; *robot* &amp; c');
  });

  it('only details go to the channel; everything else is ephemeral', () => {
    expect(isEphemeral({ kind: 'detail', paper: makePaper() })).toBe(false);
    for (const [, reply] of GOLDEN)
      if (reply.kind !== 'detail') expect(isEphemeral(reply)).toBe(true);
  });

  it('stays within Slack limits for any paper text', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', '<', '>', '&', '*', 'é', '\n'),
      maxLength: 5000,
    });
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 60 }), (title, abstract, count) => {
        const paper = makePaper({ title: title || 'x', abstract });
        const items = Array.from({ length: count }, (_, i) => ({
          paper: { ...paper, id: `p${i}` },
          why: abstract,
        }));
        const replies: Reply[] = [
          { kind: 'detail', paper },
          {
            kind: 'list',
            title,
            items,
            page: 1,
            pages: 2,
            total: count,
            next: { command: 'search', args: { query: abstract.slice(0, 300) }, page: 2 },
          },
          { kind: 'choice', prompt: title, command: 'show', candidates: items.map((i) => i.paper) },
          {
            kind: 'digest',
            date: '2024-10-17',
            title,
            sections: [
              { topic: title, items },
              { topic: null, items },
            ],
          },
        ];
        for (const reply of replies) {
          const message = renderReply(reply);
          expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
          expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
          for (const block of message.blocks as LooseBlock[]) {
            if (block.type === 'section') {
              expect(block.text?.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
              expect(block.text?.text).not.toMatch(/&[a-z]{0,3}…/);
            }
            for (const b of buttonsOf(block)) {
              expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
              expect(b.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
            }
          }
          expect(allTexts(message).join('')).not.toMatch(/<(?!https?:\/\/)/);
        }
      }),
      { numRuns: 60 },
    );
  });
});
