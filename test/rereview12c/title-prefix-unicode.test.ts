import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseTitle, type PaperRecord } from '../../src/core/paper.js';
import { type Opened, openWith } from '../core/search/search-fixtures.js';
import { record } from '../core/store/records.js';

// eefd933: the title index holds the first 16 characters of the key (SQLite counts
// characters of UTF-8, JavaScript UTF-16 units). Titles starting with the typed text must be
// suggested as the whole-key index did: every one, in byte order of the key, and each title
// found exactly, whatever its characters and length.

const titles = [
  'Über Lernen und Wissen',
  'Uber lernen und wissen in neuronalen Netzen',
  'Ubér lernen: ein Vergleich',
  '深度学习用于图像识别的方法研究与应用分析',
  '深度学习用于图像识别的方法研究与应用综述',
  '深度学习',
  '𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀐 long',
  '𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀑 other',
  '🚀 Rocket science for everyone',
  'AI',
  'A',
  'A b',
  'ab',
  'a_b%c wildcards in titles',
  'a%b_c wildcards in titles',
  'ǅemal: titlecase digraphs',
  'Ωmega networks and more networks',
  'ωmega networks and more networks too',
];

function paper(i: number, title: string): PaperRecord {
  const arxivId = `2501.${String(i + 1).padStart(5, '0')}`;
  return record({ arxivId, version: null, title, abstract: `About ${title}.` });
}

/** What the whole-key index gave: keys starting with the text, in byte order, then rowid. */
function expected(input: string): string[] {
  const key = normaliseTitle(input);
  return titles
    .map((title, i) => ({ id: paper(i, title).arxivId as string, key: normaliseTitle(title), i }))
    .filter((t) => t.key.startsWith(key))
    .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || a.i - b.i)
    .map((t) => t.id);
}

describe('title prefix index with any characters', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openWith(titles.map((t, i) => paper(i, t)));
  });
  afterAll(async () => opened.close());

  it('finds each title exactly (titles with one key are offered together)', () => {
    titles.forEach((title, i) => {
      const r = opened.search.resolve(title);
      const same = titles
        .map((t, j) => ({ t, id: paper(j, t).arxivId }))
        .filter(({ t }) => normaliseTitle(t) === normaliseTitle(title))
        .map(({ id }) => id);
      const ids =
        r.kind === 'found'
          ? [r.paper.id]
          : r.kind === 'choice'
            ? r.candidates.map((p) => p.id)
            : [];
      expect(ids, title).toEqual(same);
      expect(ids, title).toContain(paper(i, title).arxivId);
    });
  });

  it.each([
    'u',
    'uber',
    'über lernen und wissen in',
    '深度',
    '深度学习用于图像识别的方法研究与应用',
    '深度学习用于图像识别的方法研究与应用综',
    '𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎',
    '𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏',
    '𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀐',
    'rocket',
    'a',
    'a b',
    'a_b',
    'a%',
    'ω',
    'dzemal',
  ])('suggests what the whole-key index did for %s', (input) => {
    const want = expected(input);
    const got = opened.search.suggest(input).map((s) => s.id);
    expect(got.slice(0, want.length)).toEqual(want);
  });
});
