import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../../src/core/answer/model-prompt.js';
import { splitSentences } from '../../../src/core/answer/sentences.js';
import { withinOneEdit } from '../../../src/core/answer/terms.js';

describe('splitSentences', () => {
  it('keeps abbreviations and decimals inside a sentence, collapses whitespace', () => {
    expect(
      splitSentences(
        'Models saturate (i.e. "saturation") on data such as MATH.\nWe gain 7.5% on it, e.g. AIME24. Short.',
      ),
    ).toEqual([
      'Models saturate (i.e. "saturation") on data such as MATH.',
      'We gain 7.5% on it, e.g. AIME24. Short.',
    ]);
  });

  it('gives nothing for empty text', () => {
    expect(splitSentences('   ')).toEqual([]);
  });
});

describe('parseModelText', () => {
  it('moves a marker the segmenter left at the next sentence back to its own, drops invented ones', () => {
    expect(parseModelText('It merges models. [2] It mutates with SVD [1, 5]. [9]', 2)).toEqual([
      { text: 'It merges models.', citations: [2] },
      { text: 'It mutates with SVD.', citations: [1] },
    ]);
  });

  it('keeps a short "the papers don\'t say" as its own sentence', () => {
    expect(parseModelText("CycleQD merges models [1]. The papers don't say.", 1)).toEqual([
      { text: 'CycleQD merges models.', citations: [1] },
      { text: "The papers don't say.", citations: [] },
    ]);
  });
});

describe('withinOneEdit', () => {
  it.each([
    ['modls', 'models', true],
    ['crosover', 'crossover', true],
    ['tranformer', 'transformer', true],
    ['teh', 'the', true],
    ['robot', 'robots', true],
    ['robot', 'rabbit', false],
    ['a', 'abc', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});
