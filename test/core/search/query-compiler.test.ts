import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editsOne,
  expandQuery,
  ftsMatch,
  parseQuery,
  type TermVocabulary,
} from '../../../src/core/search/query-compiler.js';
import { foldText, tokenise } from '../../../src/core/search/text.js';

/** A vocabulary over a fixed word list, as the archive's fts5vocab would give it. */
function vocabOf(docs: Record<string, number>): TermVocabulary {
  const words = Object.keys(docs).sort();
  return {
    has: (w) => w in docs,
    docFreq: (ws) => new Map(ws.filter((w) => w in docs).map((w) => [w, docs[w] ?? 0])),
    withPrefix: (p, limit) =>
      words
        .filter((w) => w.startsWith(p))
        .slice(0, limit)
        .map((word) => ({ word, docs: docs[word] ?? 0 })),
  };
}

const VOCAB = vocabOf({ robot: 50, robots: 30, robotics: 40, robotic: 20, learning: 90, jose: 3 });

describe('query compiler', () => {
  it('folds diacritics and case', () => {
    expect(foldText('José Ñandú')).toBe('jose nandu');
    expect(tokenise('José-García, l’été')).toEqual(['jose', 'garcia', 'l', 'ete']);
  });

  it('drops stop words before terms are required, keeps them when nothing else is left', () => {
    expect(parseQuery('the robot ').words).toEqual(['robot']);
    expect(parseQuery('the ').words).toEqual(['the']);
  });

  it('reads -exclusions, "phrases" and whether the last word is still being typed', () => {
    const q = parseQuery('"knowledge distillation" robot -survey learn');
    expect(q.phrases).toEqual([['knowledge', 'distillation']]);
    expect(q.excluded).toEqual(['survey']);
    expect(q.words).toEqual(['robot', 'learn']);
    expect(q.lastIsPrefix).toBe(true);
    expect(parseQuery('robot learn ').lastIsPrefix).toBe(false);
    expect(parseQuery('robot -learn').lastIsPrefix).toBe(false);
  });

  it('takes capped prefix candidates for the last word and typo candidates only for unknown words', () => {
    const prefix = expandQuery(parseQuery('roboti'), VOCAB);
    expect(prefix.groups[0]?.alternatives).toEqual(expect.arrayContaining(['robotic', 'robotics']));
    expect(expandQuery(parseQuery('r'), VOCAB).groups[0]?.alternatives).toEqual(['r']);
    const typo = expandQuery(parseQuery('robtics '), VOCAB);
    expect(typo.groups[0]?.alternatives).toEqual(['robotics']);
    const known = expandQuery(parseQuery('robots '), VOCAB);
    expect(known.groups[0]?.alternatives).toEqual(['robots']);
    expect(known.groups[0]?.stems).toEqual(['robot']);
  });

  it('generates every edit-distance-1 variant', () => {
    const edits = editsOne('cat');
    for (const w of ['at', 'ct', 'act', 'bat', 'cart', 'cats', 'cta']) expect(edits).toContain(w);
    expect(edits).not.toContain('cat');
  });

  it('builds MATCH only from quoted tokens: FTS5 accepts it for any input', () => {
    const db = new Database(':memory:');
    db.exec(
      `CREATE VIRTUAL TABLE t USING fts5(title, authors, abstract, tokenize="porter unicode61 remove_diacritics 2");
       INSERT INTO t VALUES ('Robotics', 'José', 'robot learning');`,
    );
    const run = db.prepare('SELECT rowid FROM t WHERE t MATCH ?');
    const syntax = fc.constantFrom(
      'title:',
      'NEAR(',
      'AND',
      'OR',
      'NOT',
      '"',
      '*',
      '^',
      ':',
      '-',
      '(',
      ')',
      '{',
      '}',
      '\u0000',
      '😀',
      'مرحبا',
      'José',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), syntax), { maxLength: 40 }), (parts) => {
        const q = expandQuery(parseQuery(parts.join(' ')), VOCAB);
        for (const mode of ['all', 'any'] as const) {
          for (const column of [undefined, 'title'] as const) {
            const match = ftsMatch(q, mode, column);
            if (match) expect(() => run.all(match)).not.toThrow();
          }
        }
      }),
      { numRuns: 300 },
    );
    db.close();
  });
});
