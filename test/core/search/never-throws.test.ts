import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSlice } from './corpus-slice.js';
import { type Opened, openWith } from './search-fixtures.js';

const NASTY = [
  'title:',
  'foo:bar',
  '~',
  '~1',
  '*',
  'rob*',
  '^2',
  '+-',
  '-',
  '"',
  '""',
  'NEAR(',
  'NEAR(a b, 2)',
  'AND',
  'OR',
  'NOT',
  ':',
  '(',
  ')',
  '{title}:',
  '\u0000',
  '😀🤖',
  'שלום עולם',
  'مرحبا',
  'José',
  'robot',
  'model',
  '\\',
  "'",
  '%_',
];

/** Any string up to 2,000 characters, leaning on query and FTS5 syntax. */
const queryText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...NASTY),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    ),
    {
      maxLength: 120,
    },
  )
  .map((parts) =>
    parts.join(fc.sample(fc.constantFrom(' ', '', '  ', '\n'), 1)[0] ?? ' ').slice(0, 2000),
  );

describe('search never throws on user text (a 2,500-paper archive)', () => {
  let opened: Opened;
  beforeAll(async () => {
    const papers = (await corpusSlice()).slice(0, 2500);
    opened = await openWith(papers);
  }, 120_000);
  afterAll(async () => opened.close());

  it('search, resolve, suggest and topics answer every string', () => {
    fc.assert(
      fc.property(queryText, fc.integer({ min: -5, max: 5 }), (text, page) => {
        const result = opened.search.search(text, {
          page,
          pageSize: 5,
          author: text.slice(0, 5),
          since: text,
        });
        expect(Array.isArray(result.hits)).toBe(true);
        expect(result.total).toBeGreaterThanOrEqual(0);
        expect(['found', 'choice', 'none']).toContain(opened.search.resolve(text).kind);
        expect(opened.search.suggest(text).length).toBeLessThanOrEqual(25);
        expect(Array.isArray(opened.search.matchTopic(text, ['2503.00001']))).toBe(true);
        expect(
          opened.search.countTopicMatches(text, new Date('2025-01-01')),
        ).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });

  it('answers a 2,000-character string and raw syntax with results or nothing', () => {
    expect(opened.search.search('robot '.repeat(400).slice(0, 2000)).total).toBeGreaterThan(0);
    for (const text of NASTY) expect(() => opened.search.search(text)).not.toThrow();
    expect(opened.search.search('rob*').total).toBeGreaterThan(0);
  });
});
