import { Parser } from 'htmlparser2';
import { cleanText, type OriginalText } from '../paper.js';
import { LatexTooDeep, latexToUnicode } from './latex.js';

// A candidate HTML tag: one of HTML's own element names, then only `name="value"` attributes,
// then `>` or `/>`. `$0<a \le 1$`, `a<b and c>d` or `<a|b>` in a math abstract are not tags.
const TAG_NAMES =
  'script|style|noscript|template|p|br|b|i|u|a|img|em|strong|div|span|sub|sup|code|pre|ul|ol|li|dl|dt|dd|h[1-6]|table|thead|tbody|tr|td|th|caption|blockquote|hr|small|big|font|tt|abbr|cite|del|ins|mark|figure|figcaption|section|article|header|footer|nav|center';
const TAG = new RegExp(
  `<(/?)(${TAG_NAMES})((?:\\s+[A-Za-z_:][-\\w:.]*\\s*=\\s*(?:"[^"]*"|'[^']*'|[^\\s"'<>=\`]+))*)\\s*(/?)>`,
  'gi',
);
const ENTITY = /&(?:#\d+|#x[\dA-Fa-f]+|[A-Za-z]\w*);/y;
const ANY_ENTITY = /&(?:#\d+|#x[\dA-Fa-f]+|[A-Za-z]\w*);/;
/** Elements with no content, a tag on their own. */
const VOID_TAGS = new Set(['br', 'img', 'hr']);
/** Elements whose closing tag HTML lets a writer leave out (`<p>one<p>two`). */
const OPTIONAL_END = new Set(['p', 'li', 'td', 'tr', 'th']);
const BLOCK_TAGS = new Set([
  'p',
  'br',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'td',
  'h1',
  'h2',
  'h3',
  'h4',
]);

/**
 * Where the real tags of a text start (index → length). A tag is real when it cannot be prose
 * or math: a void element (`<br>`, `<img …>`), one with attributes or `/>`, or an opening and
 * closing pair of the same name (`<b>…</b>`). A lone `<p>` (momentum) or `<i>` (bra-ket) is
 * text, unless the field holds other real markup and the element may go unclosed (`<p>`).
 */
function realTags(text: string): Map<number, number> {
  const real = new Map<number, number>();
  const lone: Array<{ at: number; length: number; name: string }> = [];
  const open = new Map<string, Array<{ at: number; length: number }>>();
  for (const m of text.matchAll(TAG)) {
    const at = m.index;
    const length = m[0].length;
    const name = (m[2] as string).toLowerCase();
    if (m[1]) {
      const opener = open.get(name)?.pop();
      if (!opener) continue;
      real.set(opener.at, opener.length);
      real.set(at, length);
    } else if (VOID_TAGS.has(name) || m[4]) real.set(at, length);
    else {
      // With attributes it is real on its own; either way its closing tag pairs with it.
      if (m[3]) real.set(at, length);
      const list = open.get(name) ?? [];
      list.push({ at, length });
      open.set(name, list);
    }
  }
  if (real.size > 0) {
    for (const [name, list] of open)
      if (OPTIONAL_END.has(name)) lone.push(...list.map((t) => ({ ...t, name })));
    for (const tag of lone) real.set(tag.at, tag.length);
  }
  return real;
}

/** Whether the text holds real HTML tags (see `realTags`) or entities. */
export function looksLikeHtml(text: string): boolean {
  return ANY_ENTITY.test(text) || realTags(text).size > 0;
}

/**
 * The text as HTML in which only the real tags and entities are markup: every other `<` and
 * `&` is escaped, so the HTML parser never swallows `<a \le 1$ and $b>` as a tag.
 */
function escapeNonMarkup(text: string, real: Map<number, number>): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') {
      const length = real.get(i);
      if (length !== undefined) {
        i += length - 1;
        continue;
      }
      out += `${text.slice(from, i)}&lt;`;
      from = i + 1;
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      if (ENTITY.test(text)) continue;
      out += `${text.slice(from, i)}&amp;`;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

/** The text of a field that may be HTML: only real markup read as markup, the rest kept. */
export function stripHtml(text: string): string {
  const real = realTags(text);
  if (real.size === 0 && !ANY_ENTITY.test(text)) return text;
  return htmlToText(escapeNonMarkup(text, real));
}

/** Elements whose content is code, never text a reader should see. */
const HIDDEN_TAGS = new Set(['script', 'style', 'noscript', 'template']);

/**
 * The text of an HTML fragment: tags dropped (block tags become spaces), `<script>` and
 * `<style>` dropped with their content, entities decoded once (`&amp;lt;` is the text `&lt;`).
 */
export function htmlToText(html: string): string {
  let out = '';
  let hidden = 0;
  const parser = new Parser(
    {
      ontext: (text) => {
        if (hidden === 0) out += text;
      },
      onopentag: (name) => {
        if (HIDDEN_TAGS.has(name)) hidden++;
        else if (BLOCK_TAGS.has(name)) out += ' ';
      },
      onclosetag: (name) => {
        if (HIDDEN_TAGS.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCK_TAGS.has(name)) out += ' ';
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** Whether the text holds a character cleanup acts on (`\ $ < &`); most text holds none. */
function hasMarkup(text: string): boolean {
  // Four scans for one character each beat one regular expression scan for a class.
  return (
    text.includes('\\') ||
    text.includes('$') ||
    text.includes('<') ||
    text.includes('&') ||
    text.includes('--')
  );
}

/** Called with what cleanup could not do to a field (the field is then kept as written). */
export type CleanupWarn = (warning: string) => void;

/** LaTeX made Unicode; text nested too deep to read is kept as written, with a warning. */
function readLatex(text: string, warn: CleanupWarn | undefined): string {
  try {
    return latexToUnicode(text);
  } catch (error) {
    if (!(error instanceof LatexTooDeep)) throw error;
    warn?.(`${error.message}: kept as written`);
    return text;
  }
}

/** HTML stripped and LaTeX made Unicode, spacing not yet tidied. */
function unmarked(text: string, warn?: CleanupWarn): string {
  let out = text;
  if (out.includes('<') || out.includes('&')) out = stripHtml(out);
  if (out.includes('\\') || out.includes('$') || out.includes('--')) out = readLatex(out, warn);
  return out;
}

/** Text that is not HTML (or no longer is) as shown: LaTeX made Unicode, spacing tidied. */
export function cleanPlainText(text: string, warn?: CleanupWarn): string {
  return cleanText(text.includes('\\') || text.includes('$') ? readLatex(text, warn) : text);
}

/**
 * A feed's title or abstract as shown and indexed: HTML stripped, LaTeX made Unicode,
 * whitespace collapsed. Most text holds none of `\ $ < &`; it only has its spaces tidied.
 * `warn` hears what could not be cleaned (the text is then kept as written).
 */
export function cleanFeedText(text: string, warn?: CleanupWarn): string {
  const tidy = cleanText(text);
  return hasMarkup(tidy) ? cleanText(unmarked(tidy, warn)) : tidy;
}

/**
 * The feed's own title and abstract (spacing tidied) when cleanup changed more than spacing,
 * to be stored beside the cleaned text; `{}` when it changed nothing (most papers).
 */
export function originalOf(
  raw: { title: string; abstract: string },
  cleaned: { title: string; abstract: string },
): { original?: OriginalText } {
  if (!hasMarkup(raw.title) && !hasMarkup(raw.abstract)) return {};
  const original = { title: cleanText(raw.title), abstract: cleanText(raw.abstract) };
  const same = original.title === cleaned.title && original.abstract === cleaned.abstract;
  return same ? {} : { original };
}

/** A bulk line's title and abstract cleaned, each looked at once (a bulk import's hot path). */
export interface CleanedFields {
  title: string;
  abstract: string;
  original?: OriginalText;
}

/**
 * `cleanFeedText` of both fields plus `originalOf` them, with each field scanned for markup
 * once and tidied once: what a bulk import of millions of lines does per line.
 */
export function cleanTitleAndAbstract(
  rawTitle: string,
  rawAbstract: string,
  warn?: CleanupWarn,
): CleanedFields {
  // Markup is read from the tidied text (TeX reads a line break as a space), so each field is
  // tidied once in full, and only text with markup is looked at again.
  const tidyTitle = cleanText(rawTitle);
  const tidyAbstract = cleanText(rawAbstract);
  const titleMarked = hasMarkup(tidyTitle);
  const abstractMarked = hasMarkup(tidyAbstract);
  if (!titleMarked && !abstractMarked) return { title: tidyTitle, abstract: tidyAbstract };
  const title = titleMarked
    ? cleanText(unmarked(tidyTitle, (w) => warn?.(`title: ${w}`)))
    : tidyTitle;
  const abstract = abstractMarked
    ? cleanText(unmarked(tidyAbstract, (w) => warn?.(`abstract: ${w}`)))
    : tidyAbstract;
  if (title === tidyTitle && abstract === tidyAbstract) return { title, abstract };
  return { title, abstract, original: { title: tidyTitle, abstract: tidyAbstract } };
}
