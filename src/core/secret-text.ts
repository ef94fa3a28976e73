/**
 * Secrets known only by their shape: the per-request ones (interaction tokens,
 * response_urls) cannot be listed up front like the bot tokens. Each pattern keeps what
 * helps debugging (host, route, ids) and blanks the secret part.
 */
const CENSOR = '[redacted]';

const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  // Discord: /interactions/<id>/<token>/callback, /webhooks/<app or webhook id>/<token>/…
  [/(\/(?:interactions|webhooks)\/\d+\/)[^/\s?#"'<>\\]+/gi, `$1${CENSOR}`],
  [/(%2F(?:interactions|webhooks)%2F\d+%2F)[^%/\s?#"'<>&\\]+/gi, `$1${CENSOR}`],
  // Slack: incoming webhooks and response_urls live on hooks.slack.com; the path is the secret.
  [/(hooks\.slack\.com)(?:\/|%2F)[^\s"'<>&\\]*/gi, `$1/${CENSOR}`],
  // A response_url or webhook URL named in JSON, a query string or a form body, on any host.
  [/((?:response|webhook)_?url\\?["']?\s*[:=]\s*\\?["']?)[^"'\s&,}\\]+/gi, `$1${CENSOR}`],
  // A URL's password (scheme://user:password@host): kept out of URLs by config, but a URL
  // from anywhere else (an error quoting one, a proxy setting) may carry one.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'<>]*:)[^\s/@"'<>]+@/gi, `$1${CENSOR}@`],
  // Credentials in a query string: tokens, keys, signatures, Socket Mode's connection ticket.
  [
    /([?&](?:access_?token|token|api_?key|key|secret|password|sig|signature|ticket|auth)=)[^&\s"'<>#]+/gi,
    `$1${CENSOR}`,
  ],
  // Slack tokens by their prefixes (bot, user, app-level, config, refresh).
  [/\bxox[abceoprs]-[A-Za-z0-9-]+/g, CENSOR],
  [/\bxapp-[A-Za-z0-9-]+/g, CENSOR],
  // An Authorization header's credentials however they were logged (header, error text, curl line).
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi, `$1${CENSOR}`],
];

/** `text` with every secret-shaped part blanked. */
export function scrubSecretShapes(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_SHAPES) out = out.replace(pattern, replacement);
  return out;
}
