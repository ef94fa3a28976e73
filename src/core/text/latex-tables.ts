import { combining, latex2unicode } from 'unicode2latex';

// What LaTeX macros read as: unicode2latex's maintained tables, and the macro sets arXiv
// abstracts use that those tables do not hold (fonts, spacing, references, preamble macros).

type Entry = string | { text?: string; math?: string };
const TABLE = latex2unicode as unknown as Record<string, Entry>;
export const ACCENTS = (combining as unknown as { tounicode: Record<string, string> }).tounicode;

/** Macros whose argument is shown as plain text: fonts, emphasis, boxes. */
export const WRAPPERS = new Set([
  'textbf',
  'textit',
  'textrm',
  'textsf',
  'texttt',
  'textsc',
  'textup',
  'textnormal',
  'emph',
  'text',
  'mbox',
  'hbox',
  'mathrm',
  'mathbf',
  'mathit',
  'mathsf',
  'mathtt',
  'mathnormal',
  'boldsymbol',
  'bm',
  'operatorname',
  'underline',
  'mathcal',
  'mathscr',
  'mathfrak',
  'mathbb',
  'texorpdfstring',
  'textsuperscript',
  'textsubscript',
  'textsl',
  'textmd',
  'uline',
  'ce',
  'mathsl',
  'pmb',
  'smash',
]);

/** Old-style font and size switches (`{\rm UV}`, `{\it et al.}`): no text of their own. */
export const SWITCHES = new Set(
  'rm it bf sc tt sf sl em cal bfseries itshape rmfamily ttfamily sffamily scshape upshape mdseries normalfont tiny scriptsize footnotesize small normalsize large Large LARGE huge Huge scriptstyle textstyle'.split(
    ' ',
  ),
);

/** Spacing commands: `\ `, `\,` `\;` `\:` `\quad` give a space, `\!` (negative) none. */
export const SPACING: Record<string, string> = {
  ' ': ' ',
  ',': ' ',
  ';': ' ',
  ':': ' ',
  '>': ' ',
  quad: ' ',
  qquad: ' ',
  enspace: ' ',
  thinspace: ' ',
  '!': '',
  '/': '',
  '-': '',
};

/** What `macro()` gives for a dropped reference, so the space before it is dropped too. */
export const DROPPED_REFERENCE = '\u0000';

/** References and labels: nothing a reader of an abstract can follow. */
export const REFERENCES = new Set(
  'cite citep citet citealp citeauthor citeyear ref eqref autoref cref Cref label'.split(' '),
);

/**
 * Abbreviation and astronomy macros common in arXiv abstracts (from AASTeX and common preambles)
 * that the unicode2latex tables do not hold, because they are not standard LaTeX.
 */
export const PREAMBLE_MACROS: Record<string, string> = {
  eg: 'e.g.',
  ie: 'i.e.',
  etal: 'et al.',
  etc: 'etc.',
  vs: 'vs.',
  degree: '°',
  degr: '°',
  arcsec: '″',
  arcmin: '′',
  msun: 'M☉',
  Msun: 'M☉',
  Lsun: 'L☉',
  Rsun: 'R☉',
  kms: 'km/s',
  AA: 'Å',
  '|': '‖',
  lvert: '|',
  rvert: '|',
  lVert: '‖',
  rVert: '‖',
};

/** Operator names LaTeX prints upright as words. */
export const OPERATORS = new Set(
  'ln log lg exp sin cos tan cot sec csc sinh cosh tanh arcsin arccos arctan max min sup inf lim liminf limsup arg det dim ker deg gcd hom Pr mod bmod'.split(
    ' ',
  ),
);

/** Sectioning-style macros with no text of their own in an abstract. */
export const DROPPED = new Set(
  'left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr middle displaystyle limits nolimits boldmath unboldmath'.split(
    ' ',
  ),
);

// unicode2latex maps some letters to the Mathematical Alphanumeric block (𝜇): shown as μ.
const MATH_ALPHANUMERIC = /[\u{1D400}-\u{1D7FF}]/u;

/** A macro's reading from unicode2latex (`\beta` → β), math or text as the context is. */
export function lookup(key: string, math: boolean): string | undefined {
  const entry = TABLE[key];
  if (entry === undefined) return undefined;
  // A symbol the table has only for math (`\mu`) reads the same in text, and vice versa.
  const value =
    typeof entry === 'string'
      ? entry
      : ((math ? (entry.math ?? entry.text) : (entry.text ?? entry.math)) ?? undefined);
  if (value === undefined) return undefined;
  return MATH_ALPHANUMERIC.test(value) ? value.normalize('NFKC') : value;
}
