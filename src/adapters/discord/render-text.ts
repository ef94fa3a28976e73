import type { Snippet } from '../../core/search/types.js';

/**
 * Markdown-safe text for Discord. Paper text is plain: every character Discord
 * would read as markup (`*`, `_`, `~`, backticks, `|`, `>`, `<` of mentions, `#` and
 * `-` at line starts, brackets of masked links, LaTeX backslashes) is escaped with a
 * backslash, and `@everyone`/`@here` are broken with a zero-width space.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<>]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>-])/gm, '$1\\$2')
    .replace(/@(everyone|here)/g, '@\u200b$1');
}

const ELLIPSIS = '…';

/** Cuts plain text to at most `max` characters on a word boundary, with an ellipsis. */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return ELLIPSIS.slice(0, Math.max(0, max));
  const cut = text.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  // A single long word: cut inside it rather than return almost nothing.
  const head = space > max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.-]+$/, '')}${ELLIPSIS}`;
}

/**
 * Escapes `text` and fits the result in `max` characters, cutting the plain text
 * (never an escape sequence) on a word boundary. `suffix` (already markdown, e.g.
 * a "Read more" link) is appended only when something was cut.
 */
export function fitEscaped(text: string, max: number, suffix = ''): string {
  const whole = escapeMarkdown(text);
  if (whole.length <= max) return whole;
  let budget = Math.max(0, max - suffix.length - 1);
  for (let i = 0; i < 8; i += 1) {
    const cut = escapeMarkdown(truncateWords(text, budget));
    const out = suffix ? `${cut} ${suffix}` : cut;
    if (out.length <= max) return out;
    budget -= out.length - max + 1;
    if (budget <= 0) break;
  }
  return suffix.length <= max ? suffix : ELLIPSIS;
}

/** Cuts already-safe markdown (ours, not paper text) to `max` characters. */
export function fitMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const newline = cut.lastIndexOf('\n');
  return `${newline > max / 2 ? cut.slice(0, newline) : cut.replace(/\\$/, '')}${ELLIPSIS}`;
}

/**
 * A snippet as markdown: highlighted ranges in bold, everything escaped, cut to
 * `max` characters on a word boundary (a highlight cut short stays well-formed).
 */
export function renderSnippet(snippet: Snippet, max: number): string {
  const ranges = [...snippet.highlights]
    .filter((r) => r.start < r.end && r.start >= 0 && r.end <= snippet.text.length)
    .sort((a, b) => a.start - b.start);
  const parts: Array<{ text: string; bold: boolean }> = [];
  let at = 0;
  for (const raw of ranges) {
    // Markdown bold must hug the text: `** robot**` would not render.
    const inner = snippet.text.slice(raw.start, raw.end);
    const range = {
      start: raw.start + (inner.length - inner.trimStart().length),
      end: raw.end - (inner.length - inner.trimEnd().length),
    };
    if (range.start < at || range.start >= range.end) continue;
    if (range.start > at) parts.push({ text: snippet.text.slice(at, range.start), bold: false });
    parts.push({ text: snippet.text.slice(range.start, range.end), bold: true });
    at = range.end;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), bold: false });

  let out = '';
  for (const part of parts) {
    const wrap = part.bold ? 4 : 0;
    const room = max - out.length - wrap;
    const piece = escapeMarkdown(part.text);
    if (piece.length <= room) {
      out += part.bold ? `**${piece}**` : piece;
      continue;
    }
    const cut = fitEscaped(part.text, room);
    if (cut.length > 0 && cut !== ELLIPSIS) out += part.bold ? `**${cut}**` : cut;
    else if (out.length < max) out += ELLIPSIS;
    break;
  }
  return out;
}

/** A masked link `[label](url)` with the label escaped; plain label when there is no URL. */
export function link(label: string, url: string | undefined, maxLabel = 256): string {
  const text = fitEscaped(label, maxLabel) || 'Untitled';
  return url ? `[${text}](${url.replace(/\)/g, '%29').replace(/\s/g, '%20')})` : text;
}
