import { combining, latex2unicode } from 'unicode2latex';

/**
 * LaTeX as written in arXiv titles and abstracts, made readable: accents and symbols through
 * unicode2latex's maintained tables (`R\'{e}nyi` → `Rényi`, `$\beta$` → `β`), font and
 * emphasis wrappers unwrapped (`\textbf{x}` → `x`), math kept as readable text
 * (`$\ln\ln T$` → `ln ln T`). A macro the tables do not know stays as written.
 */
export function latexToUnicode(text: string): string {
  return new LatexReader(text).read().normalize('NFC');
}

type Entry = string | { text?: string; math?: string };
const TABLE = latex2unicode as unknown as Record<string, Entry>;
const ACCENTS = (combining as unknown as { tounicode: Record<string, string> }).tounicode;

/** Macros whose argument is shown as plain text: fonts, emphasis, boxes. */
const WRAPPERS = new Set([
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
]);

/** Operator names LaTeX prints upright as words. */
const OPERATORS = new Set(
  'ln log lg exp sin cos tan cot sec csc sinh cosh tanh arcsin arccos arctan max min sup inf lim liminf limsup arg det dim ker deg gcd hom Pr mod bmod'.split(
    ' ',
  ),
);

/** Sectioning-style macros with no text of their own in an abstract. */
const DROPPED = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'displaystyle', 'limits']);

const COMBINING_MARKS = /^\p{M}+$/u;
const SPECIAL = /[\\${}~]/g;
const LETTERS = /[A-Za-z]+/y;
// unicode2latex maps some letters to the Mathematical Alphanumeric block (𝜇): shown as μ.
const MATH_ALPHANUMERIC = /[\u{1D400}-\u{1D7FF}]/u;

class LatexReader {
  private i = 0;
  private math = false;
  constructor(private readonly s: string) {}

  read(stopAtBrace = false): string {
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '}' && stopAtBrace) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const piece = this.macro();
        // `\ln\ln`: the space after the first and the one before the second are one.
        out += out.endsWith(' ') && piece.startsWith(' ') ? piece.slice(1) : piece;
      } else if (c === '$') {
        this.i += this.s[this.i + 1] === '$' ? 2 : 1;
        this.math = !this.math;
      } else if (c === '{') {
        this.i++;
        out += this.read(true);
      } else if (c === '}') this.i++;
      else if (c === '~' && !this.math) {
        out += ' ';
        this.i++;
      } else {
        // Plain text up to the next special character, copied in one piece.
        SPECIAL.lastIndex = this.i + 1;
        const next = SPECIAL.exec(this.s)?.index ?? this.s.length;
        out += this.s.slice(this.i, next);
        this.i = next;
      }
    }
    return out;
  }

  private macro(): string {
    const start = this.i;
    this.i++; // the backslash
    LETTERS.lastIndex = this.i;
    const letters = LETTERS.exec(this.s);
    const name = letters ? letters[0] : (this.s[this.i] ?? '');
    this.i += name.length;
    if (name === '') return '\\';
    if (name === '(' || name === ')' || name === '[' || name === ']') return ' ';
    if (name === '\\') return ' ';
    const accent = ACCENTS[name];
    if (accent && COMBINING_MARKS.test(accent)) return this.accented(accent, Boolean(letters));
    if (WRAPPERS.has(name) && this.peekNonSpace() === '{') {
      const literal = this.braceLiteral();
      // `\mathbb{R}` → ℝ when the table has the whole form; otherwise its text.
      const whole = literal === null ? undefined : lookup(`\\${name}{${literal}}`, this.math);
      this.skipSpaces();
      this.i++; // the brace
      const inner = this.read(true);
      return whole ?? inner;
    }
    if (DROPPED.has(name)) return '';
    if (OPERATORS.has(name)) {
      // `n^{2}\log n` → `n^2 log n`: a word needs a space from what it follows.
      const before = /[A-Za-z0-9}]/.test(this.s[start - 1] ?? '') ? ' ' : '';
      return before + this.spaced(name);
    }
    const symbol = lookup(`\\${name}`, this.math);
    if (symbol !== undefined) return letters ? this.spaced(symbol) : symbol;
    // Unknown: shown as written, its argument included, rather than half-converted.
    if (this.s[this.i] === '{') this.skipGroup();
    return this.s.slice(start, this.i);
  }

  private skipGroup(): void {
    let depth = 0;
    do {
      const c = this.s[this.i];
      if (c === '\\') this.i++;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      this.i++;
    } while (depth > 0 && this.i < this.s.length);
  }

  /** A letter macro's value, a space after it when a letter or macro follows directly. */
  private spaced(value: string): string {
    const next = this.s[this.i] ?? '';
    return /[A-Za-z0-9\\]/.test(next) && /[\p{L}\p{N}]$/u.test(value) ? `${value} ` : value;
  }

  /** `\'{e}`, `\'e`, `\c c`, `\'{\i}`: the base letter with the combining mark after it. */
  private accented(mark: string, letterMacro: boolean): string {
    if (letterMacro) this.skipSpaces();
    let base: string;
    if (this.s[this.i] === '{') {
      this.i++;
      base = this.read(true);
    } else if (this.s[this.i] === '\\') {
      base = this.macro();
    } else {
      base = this.s[this.i] ?? '';
      this.i++;
    }
    base = base.replace(/^ı$/, 'i').replace(/^ȷ$/, 'j');
    return base ? base.slice(0, 1) + mark + base.slice(1) : mark;
  }

  private peekNonSpace(): string {
    let j = this.i;
    while (this.s[j] === ' ') j++;
    return this.s[j] ?? '';
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  /** The text of a `{…}` group that holds no nested braces or macros, or null. */
  private braceLiteral(): string | null {
    const open = this.s.indexOf('{', this.i);
    const close = this.s.indexOf('}', open);
    if (open < 0 || close < 0) return null;
    const inner = this.s.slice(open + 1, close);
    return /[{\\]/.test(inner) ? null : inner;
  }
}

function lookup(key: string, math: boolean): string | undefined {
  const entry = TABLE[key];
  if (entry === undefined) return undefined;
  const value =
    typeof entry === 'string' ? entry : ((math ? entry.math : entry.text) ?? entry.text);
  if (value === undefined) return undefined;
  return MATH_ALPHANUMERIC.test(value) ? value.normalize('NFKC') : value;
}
