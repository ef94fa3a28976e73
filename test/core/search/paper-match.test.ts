import { describe, expect, it } from 'vitest';
import { stemFinder } from '../../../src/core/search/paper-match.js';
import { stem, tokenise } from '../../../src/core/search/text.js';
import { corpusSlice } from './corpus-slice.js';

describe('stemFinder', () => {
  it('finds every word of the corpus slice by its own stem (the prefix check never skips one)', async () => {
    const words = new Set<string>();
    for (const p of await corpusSlice())
      for (const w of tokenise(`${p.title} ${p.authors.join(' ')} ${p.abstract}`)) words.add(w);
    expect(words.size).toBeGreaterThan(20_000);
    const missed = [...words].filter((w) => stemFinder([stem(w)])(w) !== stem(w));
    expect(missed).toEqual([]);
  }, 60_000);

  it('answers the wanted stem a word stands for, else the empty string', () => {
    const find = stemFinder(['robot', 'sensibl', 'happi']);
    expect(['robots', 'sensibility', 'happy', 'robust', 'happen', 'x'].map(find)).toEqual([
      'robot',
      'sensibl',
      'happi',
      '',
      '',
      '',
    ]);
  });
});
