/**
 * Undoes Slack's escaping of slash-command text so the shared parser sees what the
 * user typed: control sequences (`<https://…|label>`, `<@U…|name>`, `<#C…|name>`,
 * `<!here>`) first, then the three HTML entities, then curly quotes.
 */
const CONTROL = /<([^<>]*)>/g;
const CURLY_DOUBLE = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const CURLY_SINGLE = /[\u2018\u2019\u201A\u201B\u2032]/g;

function controlToText(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : inner.slice(bar + 1);
  if (target.startsWith('@') || target.startsWith('#')) return label ?? target.slice(1);
  if (target.startsWith('!')) {
    // `<!subteam^S123|@team>`, `<!here>`, `<!date^…|fallback>`
    if (label) return label;
    return `@${target.slice(1).split('^')[0]}`;
  }
  // A link: the URL is what the user meant (Slack may shorten the label).
  return target;
}

export function unescapeSlackText(text: string): string {
  return text
    .replace(CONTROL, (_whole, inner: string) => controlToText(inner))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(CURLY_DOUBLE, '"')
    .replace(CURLY_SINGLE, "'")
    .trim();
}
