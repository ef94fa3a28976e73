import type { ErrorReply, NoticeReply, StatusReply } from '../../commands/reply.js';
import { runWarningsText } from '../../commands/reply.js';
import { context, type KnownBlock, type SlackMessage, section } from './blocks.js';
import { escapeMrkdwn, LIMITS, truncate } from './mrkdwn.js';

export function renderNotice(reply: NoticeReply): SlackMessage {
  const title = reply.title ? `*${escapeMrkdwn(reply.title)}*\n` : '';
  const body = reply.lines.map(escapeMrkdwn).join('\n');
  const plain = [reply.title, ...reply.lines].filter(Boolean).join('\n');
  return {
    text: truncate(escapeMrkdwn(plain), LIMITS.fallbackText),
    blocks: [section(`${title}${body}` || ' ')],
  };
}

export function renderError(reply: ErrorReply): SlackMessage {
  const blocks: KnownBlock[] = [section(`:warning: ${escapeMrkdwn(reply.message)}`)];
  // The usage line is ours, but it sits in a code span so `<topic>` reads as written.
  if (reply.usage) blocks.push(context(`Usage: \`${escapeMrkdwn(reply.usage)}\``));
  const plain = reply.usage ? `${reply.message}\nUsage: ${reply.usage}` : reply.message;
  return { text: truncate(escapeMrkdwn(plain), LIMITS.fallbackText), blocks };
}

export function renderStatus(reply: StatusReply): SlackMessage {
  const head = `*Paperboy status*\n${reply.papers} papers stored · ${reply.channels} channels`;
  const sources = reply.sources.map((s) => {
    const state = s.enabled
      ? `last success ${s.lastSuccessAt ?? 'never'}${runWarningsText(s)}`
      : 'disabled';
    const warning = s.warning ? ` · :warning: ${escapeMrkdwn(s.warning)}` : '';
    return `• ${escapeMrkdwn(s.name)}: ${state}${warning}`;
  });
  const blocks: KnownBlock[] = [section(head)];
  if (sources.length > 0) blocks.push(section(`*Sources*\n${sources.join('\n')}`));
  if (reply.nextDigests.length > 0) {
    const next = reply.nextDigests.map(
      (d) => `• ${escapeMrkdwn(d.channel)}: ${escapeMrkdwn(d.local)}`,
    );
    blocks.push(section(`*Next digests*\n${next.join('\n')}`));
  }
  if (reply.warnings.length > 0)
    blocks.push(context(reply.warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`).join('\n')));
  return { text: `Paperboy status: ${reply.papers} papers, ${reply.channels} channels`, blocks };
}
