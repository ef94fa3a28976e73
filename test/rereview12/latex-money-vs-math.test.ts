import { describe, expect, it } from 'vitest';
import { latexToUnicode } from '../../src/core/text/latex.js';

// The money rule (review12b #11): a `$` before a digit is kept as a dollar sign when its next
// `$` is followed by a digit, or follows a space and comes before text. Run over the 8k
// abstracts with a `$` in ../shared/corpus it keeps 52 amounts that were dropped, and puts a
// stray `$` into real math that the pass used to show cleanly: a range written as two
// inline maths run together, and math with a space before its closing sign.

describe('rereview12: math that starts with a digit', () => {
  it('a range of sigmas ($3-$4\\sigma$, arXiv 2511.08933) shows no dollar sign', () => {
    // As the corpus has it (the σ already converted by the listing that carried it).
    const shown = latexToUnicode(
      'This value is lower than predicted by approximately $3-$4\\ σ$, suggesting that',
    );
    expect(shown).not.toContain('$');
    expect(shown).toContain('3-4 σ');
  });

  it('math with a space before its closing sign ($2 $-approximation) shows no dollar sign', () => {
    const shown = latexToUnicode('We give a $2 $-approximation for $k$-means clustering.');
    expect(shown).toBe('We give a 2 -approximation for k-means clustering.');
  });
});
