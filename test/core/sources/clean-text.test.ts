import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanFeedText,
  cleanTitleAndAbstract,
  htmlToText,
  looksLikeHtml,
  originalOf,
} from '../../../src/core/text/clean-text.js';
import { latexToUnicode } from '../../../src/core/text/latex.js';

describe('latexToUnicode', () => {
  it.each([
    ['$\\ln\\ln T$', 'ln ln T'],
    ['$\\beta$-OPSD', 'β-OPSD'],
    ["R\\'{e}nyi", 'Rényi'],
    ["R\\'enyi", 'Rényi'],
    ["{\\'e}cole, \\c{c}a, \\'{\\i}", 'école, ça, í'],
    ['Erd\\H{o}s and Schr\\"{o}dinger', 'Erdős and Schrödinger'],
    ['\\textbf{bold} and \\emph{emphasised}', 'bold and emphasised'],
    ['$\\mathcal{O}(\\sqrt{T})$', 'O(√T)'],
    ['$O(n^{2}\\log n)$', 'O(n^2 log n)'],
    ['$\\mathbb{R}^d$', 'ℝ^d'],
    ['$\\mu$ and $\\alpha \\leq \\infty$', 'μ and α ≤ ∞'],
    ['a 10\\% gain, \\$5', 'a 10% gain, $5'],
    ['\\unknownmacro{x} stays', '\\unknownmacro{x} stays'],
  ])('%s → %s', (latex, text) => {
    expect(latexToUnicode(latex)).toBe(text);
  });
});

describe('HTML in feed text', () => {
  it('strips tags and decodes entities', () => {
    expect(htmlToText('<p>One &amp; <i>two</i></p><p>three&#233;</p>').trim()).toBe(
      'One & two  threeé',
    );
  });

  it('tells HTML from an abstract holding < or &', () => {
    expect(looksLikeHtml('<p>x</p>')).toBe(true);
    expect(looksLikeHtml('R&amp;D')).toBe(true);
    expect(looksLikeHtml('for $d < \\infty$ and R&D, identifiers & their <versions>')).toBe(false);
  });
});

describe('cleanFeedText', () => {
  it('leaves plain text as it is, spacing tidied', () => {
    expect(cleanFeedText('  Plain\n  title ')).toBe('Plain title');
  });

  it('keeps a literal < that is not a tag', () => {
    expect(cleanFeedText('identifiers & their <versions>, $d < 2$')).toBe(
      'identifiers & their <versions>, d < 2',
    );
  });

  it('cleans HTML and LaTeX together', () => {
    expect(cleanFeedText("<p>The R\\'enyi   <b>bound</b></p>")).toBe('The Rényi bound');
  });
});

describe('cleanTitleAndAbstract (the bulk import path)', () => {
  // Pieces of real feed text: plain words, spacing, LaTeX, HTML, entities, stray specials.
  const piece = fc.constantFrom(
    'Grasping',
    ' ',
    '  ',
    '\n',
    '\t',
    "R\\'{e}nyi",
    '$\\beta$',
    '$\\ln\\ln T$',
    '\\textbf{bold}',
    '<p>',
    '</p>',
    '<b>x</b>',
    '&amp;',
    '&#233;',
    'x < y',
    'R&D',
    '$',
    '\\',
    '{',
    '}',
    '~',
  );
  const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

  it('gives exactly cleanFeedText of each field and originalOf them', () => {
    fc.assert(
      fc.property(text, text, (title, abstract) => {
        const cleaned = { title: cleanFeedText(title), abstract: cleanFeedText(abstract) };
        expect(cleanTitleAndAbstract(title, abstract)).toEqual({
          ...cleaned,
          ...originalOf({ title, abstract }, cleaned),
        });
      }),
      { numRuns: 2000 },
    );
  });
});
