// Reading LaTeX source by position: the cursor, how deep it is, groups and arguments skipped or
// taken raw, and whether a `$` is money or math. What the text means is latex.ts's.

/**
 * How deep groups and macro arguments may nest. Real titles and abstracts stay under ten; the
 * cap keeps a hostile line (3,000 nested `\textbf{`) from overflowing the stack.
 */
export const LATEX_MAX_DEPTH = 200;

/** Thrown by `latexToUnicode` for text nested deeper than `LATEX_MAX_DEPTH`. */
export class LatexTooDeep extends Error {
  constructor() {
    super(`LaTeX nested deeper than ${LATEX_MAX_DEPTH} groups`);
  }
}

/**
 * Whether the `$` at `at` is money ("from $2.5M to $300K", "$5-$10"), kept as written: a `$`
 * before a digit with no math markup up to the next `$`, and either no next `$`, or a next
 * one before a digit that is money too, or a next one after a space with prose (a word of two
 * letters) before it. `$2n+1$`, `$0.5 $`, `$2 $-approximation`, `$3-$4\sigma$` are math.
 */
export function isMoneyDollar(s: string, at: number, depth = 0): boolean {
  if (!/[0-9]/.test(s[at + 1] ?? '')) return false;
  const next = s.indexOf('$', at + 1);
  if (next < 0) return true;
  const span = s.slice(at + 1, next);
  if (/[\\^_{}]/.test(span)) return false;
  if (/[0-9]/.test(s[next + 1] ?? '') && depth < 8 && isMoneyDollar(s, next, depth + 1))
    return true;
  return /\s/.test(s[next - 1] as string) && /\s\p{L}{2}/u.test(span);
}

/** A position in LaTeX source and the moves that only scan it. */
export class LatexSource {
  protected i = 0;
  constructor(
    protected readonly s: string,
    protected depth: number,
  ) {}

  protected enter(): void {
    if (++this.depth > LATEX_MAX_DEPTH) throw new LatexTooDeep();
  }

  /** The raw text of a following `{…}` group (a URL, a colour, a key), or null when none. */
  protected rawGroup(): string | null {
    if (this.peekNonSpace() !== '{') return null;
    this.skipSpaces();
    const start = this.i + 1;
    const closed = this.skipGroup();
    // An unclosed group (real abstracts have them) runs to the end of the text.
    return this.s.slice(start, closed ? this.i - 1 : this.s.length);
  }

  /** Moves past a `{…}` group; false when the text ends before it closes. */
  protected skipGroup(): boolean {
    let depth = 0;
    do {
      const c = this.s[this.i];
      if (c === '\\') this.i++;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      this.i++;
    } while (depth > 0 && this.i < this.s.length);
    this.i = Math.min(this.i, this.s.length);
    return depth === 0;
  }

  protected peekNonSpace(): string {
    let j = this.i;
    while (this.s[j] === ' ') j++;
    return this.s[j] ?? '';
  }

  protected skipSpaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  /** The text of a `{…}` group that holds no nested braces or macros, or null. */
  protected braceLiteral(): string | null {
    const open = this.s.indexOf('{', this.i);
    const close = this.s.indexOf('}', open);
    if (open < 0 || close < 0) return null;
    const inner = this.s.slice(open + 1, close);
    return /[{\\]/.test(inner) ? null : inner;
  }
}
