import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePageInline } from '../../../src/adapters/discord/paging.js';
import { embedsLength, LIMITS, renderReply } from '../../../src/adapters/discord/render-reply.js';
import {
  escapeMarkdown,
  renderSnippet,
  truncateWords,
} from '../../../src/adapters/discord/render-text.js';
import type { PageRequest, Reply } from '../../../src/commands/reply.js';
import { hostilePaper, paper } from './fixtures.js';

const options = { pageId: (r: PageRequest) => encodePageInline(r) };

function assertWithinLimits(embeds: APIEmbed[]): void {
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  expect(embedsLength(embeds)).toBeLessThanOrEqual(LIMITS.total);
  for (const e of embeds) {
    if (e.title !== undefined) expect(e.title.length).toBeGreaterThan(0);
    if (e.description !== undefined) expect(e.description.length).toBeGreaterThan(0);
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footer);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      expect(f.value.length).toBeGreaterThan(0);
    }
  }
}

describe('Discord text', () => {
  it('escapes markdown, mentions and LaTeX backslashes', () => {
    expect(escapeMarkdown('*a* _b_ ~~c~~ `d` |e| $\\alpha$ <@&123> @everyone')).toBe(
      '\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\`d\\` \\|e\\| $\\\\alpha$ \\<@&123\\> @\u200beveryone',
    );
    expect(escapeMarkdown('> quoted\n# heading\n- item')).toBe('\\> quoted\n\\# heading\n\\- item');
  });

  it('truncates on a word boundary with an ellipsis', () => {
    expect(truncateWords('graph neural networks for robots', 20)).toBe('graph neural…');
    expect(truncateWords('short', 20)).toBe('short');
  });

  it('renders highlight ranges as bold, escaping inside and out', () => {
    const text = 'Robot *learning* with robots';
    const out = renderSnippet(
      {
        text,
        highlights: [
          { start: 0, end: 5 },
          { start: 22, end: 28 },
        ],
      },
      200,
    );
    expect(out).toBe('**Robot** \\*learning\\* with **robots**');
    expect(renderSnippet({ text, highlights: [{ start: 16, end: 22 }] }, 200)).toBe(
      'Robot \\*learning\\* **with** robots',
    );
  });

  it('cuts a long snippet without breaking bold markers', () => {
    const text = `${'alpha '.repeat(30)}robotics ${'beta '.repeat(30)}`;
    const start = text.indexOf('robotics');
    const out = renderSnippet({ text, highlights: [{ start, end: start + 8 }] }, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect((out.match(/\*\*/g) ?? []).length % 2).toBe(0);
  });
});

const listReply: Reply = {
  kind: 'list',
  title: 'Search: robotics',
  items: [
    {
      paper: paper(),
      snippet: {
        text: 'quality diversity for robotics skills',
        highlights: [{ start: 22, end: 30 }],
      },
    },
    {
      paper: paper({
        id: 't:abc',
        arxivId: null,
        title: 'No arXiv id paper',
        upvotes: null,
        links: {},
      }),
    },
  ],
  page: 1,
  pages: 3,
  total: 6,
  next: { command: 'search', args: { query: 'robotics' }, page: 2 },
};

describe('Discord render golden files', () => {
  it('list with paging buttons', async () => {
    await expect(JSON.stringify(renderReply(listReply, options), null, 2)).toMatchFileSnapshot(
      '__golden__/list.json',
    );
  });

  it('list with a note saying how the query was relaxed', async () => {
    const note =
      'No paper has all of: diffusion, modls. Showing papers with "models" (corrected from "modls").';
    const out = renderReply({ ...listReply, note } as Reply, options);
    await expect(JSON.stringify(out, null, 2)).toMatchFileSnapshot('__golden__/list-relaxed.json');
  });

  it('detail', async () => {
    const out = renderReply({ kind: 'detail', paper: paper() }, options);
    await expect(JSON.stringify(out, null, 2)).toMatchFileSnapshot('__golden__/detail.json');
  });

  it('choice as a select menu', async () => {
    const out = renderReply(
      {
        kind: 'choice',
        prompt: 'Several papers match "diffusion":',
        command: 'show',
        candidates: [paper(), paper({ id: '2410.00001', title: 'Diffusion for robots' })],
      },
      options,
    );
    await expect(JSON.stringify(out, null, 2)).toMatchFileSnapshot('__golden__/choice.json');
  });

  it('digest with the delivery id in the footer', async () => {
    const out = renderReply(
      {
        kind: 'digest',
        date: '2026-11-25',
        title: 'Paperboy digest',
        deliveryId: 'd-42',
        part: 1,
        sections: [
          { topic: 'robotics', items: [{ paper: paper(), why: 'robotics: robot, skills' }] },
          { topic: 'language models', items: [{ paper: paper({ id: '2410.1', upvotes: null }) }] },
        ],
      },
      options,
    );
    await expect(JSON.stringify(out, null, 2)).toMatchFileSnapshot('__golden__/digest.json');
  });

  it('notice, error and status', async () => {
    const out = [
      renderReply(
        { kind: 'notice', title: 'Subscribed', lines: ['Following *robotics*.'] },
        options,
      ),
      renderReply(
        {
          kind: 'error',
          code: 'INPUT_INVALID',
          message: 'since must be a date',
          usage: '/papers search <query> [since]',
        },
        options,
      ),
      renderReply(
        {
          kind: 'status',
          papers: 120,
          channels: 2,
          sources: [
            {
              name: 'huggingface',
              enabled: true,
              lastRunAt: null,
              lastSuccessAt: '2026-11-25T08:00:00Z',
              warning: null,
            },
          ],
          nextDigests: [
            {
              channel: 'discord:1:2',
              at: '2026-11-26T08:00:00Z',
              local: '2026-11-26 09:00 Europe/Berlin',
            },
          ],
          warnings: [],
        },
        options,
      ),
    ];
    expect(out[1]?.ephemeral).toBe(true);
    await expect(JSON.stringify(out, null, 2)).toMatchFileSnapshot(
      '__golden__/notice-error-status.json',
    );
  });
});

describe('Discord limits', () => {
  it('a hostile detail fits, ends its abstract with a link to the paper, and pings nobody', () => {
    const out = renderReply({ kind: 'detail', paper: hostilePaper() }, options);
    assertWithinLimits(out.embeds);
    const embed = out.embeds[0] as APIEmbed;
    expect(embed.description).toMatch(/… \[Read more\]\(https:\/\/arxiv\.org\/abs\/2501\.00001\)$/);
    expect(embed.title).not.toContain('@everyone');
    expect(embed.title).toContain('\\<@&123\\>');
    expect(out.allowed_mentions).toEqual({ parse: [] });
  });

  it('a long list and a huge digest fit every limit', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      paper: hostilePaper(i),
      snippet: { text: 'x '.repeat(2000), highlights: [{ start: 0, end: 1 }] },
      why: 'topic: '.repeat(100),
    }));
    const list = renderReply({ ...listReply, items } as Reply, options);
    assertWithinLimits(list.embeds);
    const digest = renderReply(
      {
        kind: 'digest',
        date: '2026-11-25',
        title: 'T'.repeat(1000),
        deliveryId: 'd-1',
        sections: Array.from({ length: 14 }, (_, i) => ({
          topic: `topic ${i} `.repeat(50),
          items,
        })),
      },
      options,
    );
    assertWithinLimits(digest.embeds);
    expect(digest.embeds[0]?.footer?.text).toContain('delivery d-1');
  });
});

describe('Discord limits hold for any paper text', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 3000 });
  const arbitraryPaper = fc
    .record({ title: text, abstract: text, authors: fc.array(text, { maxLength: 50 }) })
    .map((p) => paper({ ...p, authorCount: p.authors.length }));

  it('lists, details, choices and digests always fit', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryPaper, { minLength: 1, maxLength: 25 }),
        text,
        (papers, snippet) => {
          const items = papers.map((p) => ({
            paper: p,
            snippet: {
              text: snippet,
              highlights: [{ start: 0, end: Math.min(5, snippet.length) }],
            },
            why: snippet.slice(0, 200),
          }));
          const replies: Reply[] = [
            { kind: 'list', title: snippet, items, page: 1, pages: 1, total: items.length },
            { kind: 'detail', paper: papers[0] ?? paper() },
            { kind: 'choice', prompt: snippet, candidates: papers, command: 'show' },
            {
              kind: 'digest',
              date: '2026-11-25',
              title: snippet,
              deliveryId: 'd-9',
              sections: [
                { topic: snippet, items },
                { topic: null, items },
              ],
            },
          ];
          for (const reply of replies) {
            const out = renderReply(reply, options);
            assertWithinLimits(out.embeds);
            for (const row of out.components) {
              for (const c of row.components) {
                if ('options' in c && c.options) {
                  for (const o of c.options) {
                    expect(o.label.length).toBeGreaterThan(0);
                    expect(o.label.length).toBeLessThanOrEqual(100);
                    expect((o.description ?? '').length).toBeLessThanOrEqual(100);
                  }
                }
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
