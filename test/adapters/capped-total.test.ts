import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/discord/render-reply.js';
import { renderText } from '../../src/adapters/shell/render-text.js';
import { renderReply as renderSlack } from '../../src/adapters/slack/render-reply.js';
import type { ListReply } from '../../src/commands/reply.js';
import { makePaper } from './slack/papers.js';

const list = (totalCapped: boolean): ListReply => ({
  kind: 'list',
  title: 'Papers matching "model"',
  items: [{ paper: makePaper() }],
  page: 1,
  pages: 401,
  total: 2000,
  ...(totalCapped ? { totalCapped } : {}),
  next: { command: 'search', args: { query: 'model' }, page: 2 },
});

describe('a total search stopped counting at', () => {
  it('is said as "at least" by every adapter, pages too; an exact one is said as it is', () => {
    const discord = (r: ListReply) =>
      renderReply(r, { pageId: () => 'p' }).embeds[0]?.footer?.text ?? '';
    const slack = (r: ListReply) => JSON.stringify(renderSlack(r));
    const shell = (r: ListReply) => renderText(r, { color: false });
    expect(discord(list(true))).toBe('Page 1/401+ · 2000+ papers');
    expect(discord(list(false))).toBe('Page 1/401 · 2000 papers');
    expect(slack(list(true))).toContain('Page 1 of 401+ · 2000+ in all');
    expect(slack(list(false))).toContain('Page 1 of 401 · 2000 in all');
    expect(shell(list(true))).toContain('(page 1 of 401+, 2000+ in all)');
    expect(shell(list(false))).toContain('(page 1 of 401, 2000 in all)');
  });
});
