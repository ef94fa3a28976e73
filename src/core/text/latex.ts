import { isMoneyDollar, LatexSource } from './latex-source.js';
import {
  ACCENTS,
  DROPPED,
  DROPPED_REFERENCE,
  lookup,
  OPERATORS,
  PREAMBLE_MACROS,
  REFERENCES,
  SPACING,
  SWITCHES,
  WRAPPERS,
} from './latex-tables.js';

export { LATEX_MAX_DEPTH, LatexTooDeep } from './latex-source.js';

/**
 * LaTeX as written in arXiv titles and abstracts, made readable: accents and symbols through
 * unicode2latex's maintained tables (`R\'{e}nyi` → `Rényi`, `$\beta$` → `β`), font and
 * emphasis wrappers unwrapped (`\textbf{x}` → `x`), math kept as readable text
 * (`$\ln\ln T$` → `ln ln T`). A macro the tables do not know stays as written.
 */
export function latexToUnicode(text: string): string {
  return new LatexReader(text, 0).read().normalize('NFC');
}

const COMBINING_MARKS = /^\p{M}+$/u;
const SPECIAL = /[\\${}~]/g;
const LETTERS = /[A-Za-z]+/y;
const TIED = /[\p{L}\p{N}.,;:)\]}$]/u;

function dashes(text: string): string {
  return text.replace(/---/g, '—').replace(/--/g, '–');
}
class LatexReader extends LatexSource {
  /** Inside `$…$` or `$$…$$`, or not in math. */
  private math: 'inline' | 'display' | false = false;

  read(stopAtBrace = false): string {
    this.enter();
    try {
      return this.readGroup(stopAtBrace);
    } finally {
      this.depth--;
    }
  }

  private readGroup(stopAtBrace: boolean): string {
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '}' && stopAtBrace) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const piece = this.macro();
        if (piece === DROPPED_REFERENCE) {
          // `benchmark~\cite{x}.` → `benchmark.`: the tie before a dropped citation goes too.
          out = out.trimEnd();
          continue;
        }
        // `\ln\ln`: the space after the first and the one before the second are one.
        out += out.endsWith(' ') && piece.startsWith(' ') ? piece.slice(1) : piece;
      } else if (c === '$') {
        const double = this.s[this.i + 1] === '$';
        if (!this.math && !double && isMoneyDollar(this.s, this.i)) {
          out += '$';
          this.i++;
          continue;
        }
        this.i += double ? 2 : 1;
        // `$z$$\sim$4.8`: in inline math `$$` closes it and opens the next, math goes on.
        if (double && this.math === 'inline') continue;
        this.math = this.math ? false : double ? 'display' : 'inline';
      } else if (c === '{') {
        this.i++;
        out += this.read(true);
      } else if (c === '}') this.i++;
      else if (c === '~') {
        // A tie (`e.g.~8`, `module~(APO)`) is a space; a `~` after a space or a slash is the
        // text's own: "~5% faster", "ox.ac.uk/~vgg".
        out += TIED.test(this.s[this.i - 1] ?? ' ') ? ' ' : '~';
        this.i++;
      } else {
        // Plain text up to the next special character, copied in one piece.
        SPECIAL.lastIndex = this.i + 1;
        const next = SPECIAL.exec(this.s)?.index ?? this.s.length;
        const piece = this.s.slice(this.i, next);
        // `---` is an em dash and `--` an en dash in text; in math they are minus signs.
        out += !this.math && piece.includes('--') ? dashes(piece) : piece;
        this.i = next;
      }
    }
    return out;
  }

  private macro(): string {
    this.enter();
    try {
      return this.readMacro();
    } finally {
      this.depth--;
    }
  }

  private readMacro(): string {
    const start = this.i;
    this.i++; // the backslash
    LETTERS.lastIndex = this.i;
    const letters = LETTERS.exec(this.s);
    const name = letters ? letters[0] : (this.s[this.i] ?? '');
    this.i += name.length;
    if (name === '') return '\\';
    if (name === '(' || name === ')' || name === '[' || name === ']') return ' ';
    if (name === '\\') return ' ';
    const special = this.special(name);
    if (special !== null) return special;
    const accent = ACCENTS[name];
    if (accent && COMBINING_MARKS.test(accent)) return this.accented(accent, Boolean(letters));
    if (WRAPPERS.has(name) && this.peekNonSpace() !== '{') {
      // `\mathbb R`, `\mathcal L`: the argument is the next token.
      const token = this.textArgument();
      return lookup(`\\${name}{${token}}`, this.math !== false) ?? token;
    }
    if (WRAPPERS.has(name) && this.peekNonSpace() === '{') {
      const literal = this.braceLiteral();
      // `\mathbb{R}` → ℝ when the table has the whole form; otherwise its text.
      const whole =
        literal === null ? undefined : lookup(`\\${name}{${literal}}`, this.math !== false);
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
    const symbol = lookup(`\\${name}`, this.math !== false);
    if (symbol !== undefined) return letters ? this.spaced(symbol) : symbol;
    // Unknown (a paper's own macro, `\ours`): the name as written; an argument is read as
    // text like any group (no stray braces), an empty one dropped.
    const written = this.s.slice(start, this.i);
    if (this.s.startsWith('{}', this.i)) this.i += 2;
    return this.s[this.i] === '{' ? `${written} ` : written;
  }

  /** Macros with a reading of their own (links, fractions, colours, spacing), or null. */
  private special(name: string): string | null {
    if (SWITCHES.has(name)) {
      // `{\rm UV}`: the space after a control word is not text.
      this.skipSpaces();
      return '';
    }
    const spacing = SPACING[name];
    if (spacing !== undefined) return spacing;
    const preamble = PREAMBLE_MACROS[name];
    if (preamble !== undefined) {
      if (this.s.startsWith('{}', this.i)) this.i += 2;
      return preamble;
    }
    if (REFERENCES.has(name) || name === 'begin' || name === 'end') {
      this.optionalArgument();
      this.rawGroup();
      return REFERENCES.has(name) ? DROPPED_REFERENCE : '';
    }
    switch (name) {
      case 'href': {
        const url = this.rawGroup() ?? '';
        const text = this.textArgument().trim();
        return text && text !== url ? `${text} (${url})` : url;
      }
      case 'url':
        return this.rawGroup() ?? '';
      case 'unicode': {
        const code = /^\s*(x?)([0-9A-Fa-f]+)\s*$/.exec(this.rawGroup() ?? '');
        const point = code ? Number.parseInt(code[2] as string, code[1] ? 16 : 10) : Number.NaN;
        return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : '';
      }
      case 'hyperlink':
      case 'textcolor':
      case 'colorbox':
        this.rawGroup();
        return this.textArgument();
      case 'color':
      case 'mkern':
      case 'hspace':
      case 'vspace':
        this.rawGroup();
        return '';
      case 'frac':
      case 'tfrac':
      case 'dfrac':
      case 'cfrac': {
        const top = this.textArgument();
        return `${grouped(top)}/${grouped(this.textArgument())}`;
      }
      case 'binom': {
        const n = this.textArgument();
        return `C(${n}, ${this.textArgument()})`;
      }
      case 'sqrt': {
        const degree = this.optionalArgument();
        const radicand = grouped(this.textArgument());
        return degree ? `${degree}√${radicand}` : `√${radicand}`;
      }
      case 'pmod':
        return ` (mod ${this.textArgument()})`;
      case 'footnote':
        return ` (${this.textArgument().trim()})`;
      default:
        return null;
    }
  }

  /** `[…]` after a macro (`\sqrt[3]{x}`, `\cite[p.~2]{k}`), read as text, or ''. */
  private optionalArgument(): string {
    if (this.peekNonSpace() !== '[') return '';
    this.skipSpaces();
    const close = this.s.indexOf(']', this.i);
    if (close < 0) return '';
    const inner = this.s.slice(this.i + 1, close);
    this.i = close + 1;
    return new LatexReader(inner, this.depth).read();
  }

  /** A macro's argument as text: a `{…}` group, else the next macro or character. */
  private textArgument(): string {
    this.skipSpaces();
    const c = this.s[this.i];
    if (c === undefined) return '';
    if (c === '{') {
      this.i++;
      return this.read(true);
    }
    if (c === '\\') return this.macro().trim();
    this.i++;
    return c;
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
}

/** `a` as is when it is one word or number, else in parentheses: `(n+1)/2`, `√(x+y)`. */
function grouped(text: string): string {
  const t = text.trim();
  return /^[\p{L}\p{N}.]*$/u.test(t) || /^\(.*\)$/.test(t) ? t : `(${t})`;
}
