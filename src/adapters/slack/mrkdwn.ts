import type { HighlightRange, Snippet } from '../../core/search/types.js';

/** Slack's limits (https://api.slack.com/reference/block-kit). */
export const LIMITS = {
  sectionText: 3000,
  blocks: 50,
  buttonText: 75,
  buttonValue: 2000,
  contextText: 2000,
  fallbackText: 3000,
  actionsElements: 25,
} as const;

/**
 * Escapes the three characters Slack treats as markup, so text from a paper can
 * never become a link, a mention or `<!channel>`.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text to `max` characters without splitting an entity. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

/** Plain text for a button label or plain_text field (no entities needed there). */
export function plainLabel(text: string, max: number = LIMITS.buttonText): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/** Only plain http(s) URLs become links; anything that could break `<url|label>` is dropped. */
export function safeUrl(url: string | undefined | null): string | null {
  if (!url) return null;
  return /^https?:\/\/[^\s<>|]+$/.test(url) ? url : null;
}

/** `<url|label>` with the label escaped, or just the escaped label when the URL is unsafe. */
export function link(url: string | undefined | null, label: string): string {
  const safe = safeUrl(url);
  const text = escapeMrkdwn(label);
  return safe ? `<${safe}|${text}>` : text;
}

const WORD = /[\p{L}\p{N}_]/u;

/** Slack only bolds whole words, so a highlight inside a word grows to the word's edges. */
function toWordEdges(text: string, r: HighlightRange): HighlightRange {
  let { start, end } = r;
  while (start > 0 && WORD.test(text[start - 1] ?? '') && WORD.test(text[start] ?? '')) start--;
  while (end < text.length && WORD.test(text[end] ?? '') && WORD.test(text[end - 1] ?? '')) end++;
  return { start, end };
}

function mergeRanges(text: string, ranges: HighlightRange[]): HighlightRange[] {
  const length = text.length;
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(length, r.end) }))
    .filter((r) => r.end > r.start)
    .map((r) => toWordEdges(text, r))
    .sort((a, b) => a.start - b.start);
  const out: HighlightRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Snippet → escaped mrkdwn with highlighted ranges in *bold*. */
export function highlightSnippet(snippet: Snippet): string {
  const { text } = snippet;
  let out = '';
  let at = 0;
  for (const r of mergeRanges(text, snippet.highlights)) {
    out += escapeMrkdwn(text.slice(at, r.start));
    const marked = text.slice(r.start, r.end).trim();
    // Slack bold needs non-space edges; keep surrounding spaces outside the stars.
    const lead = text.slice(r.start, r.end).match(/^\s*/)?.[0] ?? '';
    const trail = text.slice(r.start, r.end).match(/\s*$/)?.[0] ?? '';
    out += marked ? `${lead}*${escapeMrkdwn(marked.replace(/\*/g, ''))}*${trail}` : lead;
    at = r.end;
  }
  return out + escapeMrkdwn(text.slice(at));
}
