/**
 * Shape checks for platform credentials, pure. A finding names the variable and what is
 * wrong with it, never the value: these are secrets.
 */
export interface Finding {
  check: string;
  level: 'ok' | 'warning' | 'problem';
  message: string;
}

const DISCORD_TOKEN = /^[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/;
const SLACK_BOT_TOKEN = /^xoxb-[A-Za-z0-9-]+$/;
const SLACK_APP_TOKEN = /^xapp-[A-Za-z0-9-]+$/;
const SLACK_SIGNING_SECRET = /^[0-9a-f]{32}$/;

/** Mistakes common enough to name: pasted quotes, a "Bot " prefix, trailing whitespace. */
function pastingMistake(value: string): string | null {
  if (/^\s|\s$/.test(value)) return 'starts or ends with whitespace';
  if (/^["']|["']$/.test(value)) return 'is wrapped in quotes';
  if (/^Bot\s/i.test(value) || /^Bearer\s/i.test(value))
    return 'starts with "Bot "/"Bearer ": give the token alone';
  return null;
}

function check(
  name: string,
  value: string | undefined,
  shape: RegExp,
  expected: string,
  hint: (value: string) => string | null = () => null,
): Finding | null {
  if (value === undefined || value === '') return null;
  const mistake = pastingMistake(value);
  if (mistake) return { check: 'token', level: 'problem', message: `${name} ${mistake}.` };
  if (!shape.test(value)) {
    const extra = hint(value);
    return {
      check: 'token',
      level: 'problem',
      message: `${name} does not look like ${expected}${extra ? ` (${extra})` : ''}.`,
    };
  }
  return { check: 'token', level: 'ok', message: `${name} has the expected shape.` };
}

/** The user id a Discord bot token starts with (base64 of the id), or null. */
function discordTokenUserId(token: string): string | null {
  const first = token.split('.')[0] ?? '';
  const decoded = Buffer.from(first, 'base64url').toString('utf8');
  return /^\d{15,21}$/.test(decoded) ? decoded : null;
}

function slackHint(value: string): string | null {
  if (value.startsWith('xoxp-')) return 'it is a user token (xoxp-); use the bot token, xoxb-';
  if (value.startsWith('xapp-')) return 'it is an app-level token; put it in SLACK_APP_TOKEN';
  return null;
}

/** Checks every platform credential present in `env`; absent ones are not findings. */
export function checkTokenShapes(env: Record<string, string | undefined>): Finding[] {
  const findings: Finding[] = [];
  const discord = check(
    'DISCORD_TOKEN',
    env.DISCORD_TOKEN,
    DISCORD_TOKEN,
    'a Discord bot token (three dot-separated parts from the Developer Portal, Bot page)',
  );
  if (discord) findings.push(discord);
  const appId = env.DISCORD_APPLICATION_ID;
  if (discord?.level === 'ok' && env.DISCORD_TOKEN && appId) {
    const userId = discordTokenUserId(env.DISCORD_TOKEN);
    if (userId && userId !== appId) {
      findings.push({
        check: 'token',
        level: 'warning',
        message:
          'DISCORD_TOKEN belongs to a different application than DISCORD_APPLICATION_ID ' +
          '(fine only for bots created before 2019 whose bot user id differs).',
      });
    }
  }
  const slack: Array<[string, RegExp, string, ((v: string) => string | null)?]> = [
    ['SLACK_BOT_TOKEN', SLACK_BOT_TOKEN, 'a Slack bot token (xoxb-…)', slackHint],
    ['SLACK_APP_TOKEN', SLACK_APP_TOKEN, 'a Slack app-level token (xapp-…)'],
    [
      'SLACK_SIGNING_SECRET',
      SLACK_SIGNING_SECRET,
      'a Slack signing secret (32 hexadecimal characters, Basic Information page)',
    ],
  ];
  for (const [name, shape, expected, hint] of slack) {
    const finding = check(name, env[name], shape, expected, hint);
    if (finding) findings.push(finding);
  }
  return findings;
}
