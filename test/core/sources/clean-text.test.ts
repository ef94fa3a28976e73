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
    // A paper's own macro stays as written, its argument read as text: no stray braces.
    ['\\unknownmacro{x} stays', '\\unknownmacro x stays'],
    ['we show that \\ours{} generates', 'we show that \\ours generates'],
    // Real titles and abstracts (/work/shared/corpus): accents, Greek, blackboard bold,
    // emphasis, ties, dashes, links, fonts switches, fractions, Unicode code points.
    ['Gr\\"obner, \\c{c}a, {\\ss}, \\\'{e}, \\"o', 'Gröbner, ça, ß, é, ö'],
    ['\\emph{x} and \\textit{y}', 'x and y'],
    ['$\\mathbb{R}^n$, $\\mathbb R$, $\\alpha\\beta\\Gamma$, $\\mu$m', 'ℝ^n, ℝ, α β Γ, μm'],
    ['text-to-image~(T2I), e.g.~8, ~5\\% faster', 'text-to-image (T2I), e.g. 8, ~5% faster'],
    ['loss -- a common restriction --- pages 1--10', 'loss – a common restriction — pages 1–10'],
    ['Code at \\href{https://github.com/a/b}{here}.', 'Code at here (https://github.com/a/b).'],
    ['Code: \\url{https://huggingface.co/x}', 'Code: https://huggingface.co/x'],
    // Unclosed, as in a real abstract: the rest is the link, nothing cut off.
    ['see \\href{https://r.example/gasp/.', 'see https://r.example/gasp/.'],
    ['The $\\rho_{\\rm UV}$ trend', 'The ρ_UV trend'],
    ['$\\frac{n+1}{2}$, $\\tfrac12$, $\\sqrt[3]{x+y}$', '(n+1)/2, 1/2, 3√(x+y)'],
    ['Biofouling\\unicode{x2013}communities', 'Biofouling–communities'],
    ['\\textcolor{red}{This paper} includes', 'This paper includes'],
    ['benchmark~\\cite{yang2024}, as in \\citep[p.~2]{a,b}.', 'benchmark, as in.'],
    ['$10^{4}\\,M_{\\odot}$ at 5\\arcsec', '10^4 M_⊙ at 5″'],
    // Money is not math (review12b #11; real abstracts in /work/shared/corpus): a `$` before a
    // digit whose next `$` opens rather than closes, or that has none, is kept.
    ['from $2.5M to $300K with $k$-shot', 'from $2.5M to $300K with k-shot'],
    ['costs $0.8-$1.5 per run', 'costs $0.8-$1.5 per run'],
    ['under $50 in compute', 'under $50 in compute'],
    ['at $0.04 per item; $n$ items', 'at $0.04 per item; n items'],
    ['$2n+1$ is odd, $1$-Lipschitz, $100$ epochs', '2n+1 is odd, 1-Lipschitz, 100 epochs'],
    ['$2.5 \\times 10^2\\,M_\\odot $, and $0.5 $ s', '2.5 × 10^2 M_⊙ , and 0.5  s'],
    ['$1.5\\times$10$^{-24}$ cm', '1.5×10^-24 cm'],
    // `$$` inside inline math closes it and opens the next: the rest is text again.
    ['out to $z$$\\sim$4.8 and $z=0.19$--3.69', 'out to z∼4.8 and z=0.19–3.69'],
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

  it('reads LaTeX across a hard line break as TeX does (a line break is a space)', () => {
    // `\` before a line break is a control space; `\textbf` then a break then its group.
    expect(cleanFeedText('as in Smith et al.\\\nwe show')).toBe('as in Smith et al. we show');
    expect(cleanFeedText('a \\textbf\n  {bold}\n claim')).toBe('a bold claim');
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
