import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePapers, type Opened, openWith } from './search-fixtures.js';

describe('judged queries on the bundled Daily Papers page', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openWith(fixturePapers());
  });
  afterAll(async () => opened.close());

  it('robotics fills the first page with robot-learning papers', () => {
    const result = opened.search.search('robotics', { pageSize: 5 });
    const titles = result.hits.map((h) => h.paper.title);
    expect(titles).toHaveLength(5);
    for (const title of titles) expect(title).toMatch(/robo/i);
    const all = opened.search.search('robotics', { pageSize: 10 }).hits.map((h) => h.paper.title);
    for (const name of ['RoboGen', 'UBSoft', 'RaC']) {
      expect(all.some((t) => t.startsWith(name))).toBe(true);
    }
  });

  it('knowledge distillation finds the survey first', () => {
    const result = opened.search.search('knowledge distillation');
    expect(result.hits[0]?.paper.title).toBe(
      'A Survey on Knowledge Distillation of Large Language Models',
    );
    expect(result.hits[0]?.matchedTerms).toEqual(['knowledge', 'distillation']);
  });

  it('snippets carry highlight ranges over matched words, not markup', () => {
    const hit = opened.search.search('knowledge distillation').hits[0];
    expect(hit?.snippet.highlights.length).toBeGreaterThan(0);
    for (const h of hit?.snippet.highlights ?? []) {
      expect(hit?.snippet.text.slice(h.start, h.end)).toMatch(/^(knowledge|distillation)$/i);
    }
    expect(hit?.snippet.text).not.toMatch(/[<*_]{2}/);
  });

  it('pages carry the total and do not overlap', () => {
    const first = opened.search.search('learning', { pageSize: 5, page: 1 });
    const second = opened.search.search('learning', { pageSize: 5, page: 2 });
    expect(first.total).toBeGreaterThan(10);
    expect(first.pages).toBe(Math.ceil(first.total / 5));
    const ids = new Set(first.hits.map((h) => h.paper.id));
    expect(second.hits.some((h) => ids.has(h.paper.id))).toBe(false);
  });

  it('-term excludes and a quoted phrase is kept as a phrase', () => {
    expect(opened.search.search('"knowledge distillation" -survey').total).toBe(0);
    const phrase = opened.search.search('"skill unlearning"');
    expect(phrase.hits[0]?.paper.title).toMatch(/Skill Unlearning/);
    const robots = opened.search.search('robot -simulation').hits;
    expect(robots.length).toBeGreaterThan(0);
    for (const h of robots)
      expect(`${h.paper.title} ${h.paper.abstract}`).not.toMatch(/simulation/i);
  });

  it('falls back to any term when no paper has them all', () => {
    const result = opened.search.search('robotics zebrafishology');
    expect(result.total).toBeGreaterThan(0);
  });

  it('show: fragment, exact title, ambiguous fragment, suggest', () => {
    const cycle = opened.search.resolve('CycleQD');
    expect(cycle.kind === 'found' && cycle.paper.title).toMatch(/CycleQD/);
    const skill = opened.search.resolve('skill unlearning');
    expect(skill.kind === 'found' && skill.paper.title).toMatch(/Skill Unlearning/);
    const exact = opened.search.resolve(
      'a survey on knowledge distillation of large language models',
    );
    expect(exact.kind).toBe('found');
    const ambiguous = opened.search.resolve('skill');
    expect(ambiguous.kind).toBe('choice');
    if (ambiguous.kind === 'choice') expect(ambiguous.candidates.length).toBeLessThanOrEqual(25);
    expect(opened.search.resolve('no such paper zzqx').kind).toBe('none');
    const suggestions = opened.search.suggest('a survey');
    expect(suggestions[0]?.title).toMatch(/^A Survey/);
    expect(opened.search.suggest('learn', 100).length).toBeLessThanOrEqual(25);
  });

  it('topics: matchTopic over given papers, countTopicMatches since a date', () => {
    const ids = opened.search.search('robot', { pageSize: 50 }).hits.map((h) => h.paper.id);
    const matches = opened.search.matchTopic('robot learning', ids);
    expect(matches.length).toBeGreaterThan(0);
    for (const m of matches) expect(m.matchedTerms).toEqual(['robot', 'learning']);
    expect(opened.search.countTopicMatches('robotics', new Date('2025-12-01'))).toBeGreaterThan(3);
    expect(opened.search.countTopicMatches('robotics', new Date('2026-01-01'))).toBe(0);
  });
});
