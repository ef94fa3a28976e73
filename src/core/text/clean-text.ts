import { Parser } from 'htmlparser2';
import { cleanText, type OriginalText } from '../paper.js';
import { latexToUnicode } from './latex.js';

// An HTML tag (`<p>`, `</b>`, `<img src=…>`, `<br/>`) or an entity (`&amp;`, `&#233;`). Only
// HTML's own tag names: `x < y`, `R&D` or `<versions>` in a plain abstract are not HTML.
const HTML_MARKUP =
  /<\/?(?:script|style|p|br|b|i|u|a|img|em|strong|div|span|sub|sup|code|pre|ul|ol|li|h[1-6]|table|tr|td|th|blockquote|hr|small|font|tt)(?:\s[^<>]*)?\/?>|&(?:#\d+|#x[\dA-Fa-f]+|[A-Za-z]\w*);/i;
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

/** Whether the text holds HTML tags or entities. */
export function looksLikeHtml(text: string): boolean {
  return HTML_MARKUP.test(text);
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

/** HTML stripped and LaTeX made Unicode, spacing not yet tidied. */
function unmarked(text: string): string {
  let out = text;
  if ((out.includes('<') || out.includes('&')) && looksLikeHtml(out)) out = htmlToText(out);
  if (out.includes('\\') || out.includes('$') || out.includes('--')) out = latexToUnicode(out);
  return out;
}

/** Text that is not HTML (or no longer is) as shown: LaTeX made Unicode, spacing tidied. */
export function cleanPlainText(text: string): string {
  return cleanText(text.includes('\\') || text.includes('$') ? latexToUnicode(text) : text);
}

/**
 * A feed's title or abstract as shown and indexed: HTML stripped, LaTeX made Unicode,
 * whitespace collapsed. Most text holds none of `\ $ < &`; it only has its spaces tidied.
 */
export function cleanFeedText(text: string): string {
  const tidy = cleanText(text);
  return hasMarkup(tidy) ? cleanText(unmarked(tidy)) : tidy;
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
export function cleanTitleAndAbstract(rawTitle: string, rawAbstract: string): CleanedFields {
  // Markup is read from the tidied text (TeX reads a line break as a space), so each field is
  // tidied once in full, and only text with markup is looked at again.
  const tidyTitle = cleanText(rawTitle);
  const tidyAbstract = cleanText(rawAbstract);
  const titleMarked = hasMarkup(tidyTitle);
  const abstractMarked = hasMarkup(tidyAbstract);
  if (!titleMarked && !abstractMarked) return { title: tidyTitle, abstract: tidyAbstract };
  const title = titleMarked ? cleanText(unmarked(tidyTitle)) : tidyTitle;
  const abstract = abstractMarked ? cleanText(unmarked(tidyAbstract)) : tidyAbstract;
  if (title === tidyTitle && abstract === tidyAbstract) return { title, abstract };
  return { title, abstract, original: { title: tidyTitle, abstract: tidyAbstract } };
}
