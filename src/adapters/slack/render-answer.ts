import { answerSourceLine, UNANSWERED_TEXT } from '../../commands/answer-view.js';
import { paperDateText } from '../../commands/paper-view.js';
import type { AnswerReply } from '../../commands/reply.js';
import type { Paper } from '../../core/paper.js';
import { context, type KnownBlock, type SlackMessage, section } from './blocks.js';
import { escapeMrkdwn, LIMITS, link, truncate } from './mrkdwn.js';
import { paperUrl } from './render-paper.js';

function citations(numbers: number[], sources: Paper[]): string {
  if (numbers.length === 0) return '';
  const marks = numbers.map((n) => {
    const paper = sources[n - 1];
    return paper ? link(paperUrl(paper), `[${n}]`) : `[${n}]`;
  });
  return ` ${marks.join('')}`;
}

function paperRef(paper: Paper): string {
  return `${link(paperUrl(paper), paper.title)} (${paperDateText(paper)})`;
}

/** `ask` as Block Kit: question, notes, cited sentences, sources, related papers. */
export function renderAnswer(reply: AnswerReply): SlackMessage {
  const question = `*${escapeMrkdwn(truncate(reply.question, 500))}*`;
  const blocks: KnownBlock[] = [section(question)];
  if (reply.notes.length > 0) blocks.push(context(reply.notes.map(escapeMrkdwn).join('\n')));
  if (reply.unanswered) {
    const text = `${UNANSWERED_TEXT} Try \`${escapeMrkdwn(reply.unanswered.suggestion)}\``;
    blocks.push(section(text));
    return { text: truncate(escapeMrkdwn(UNANSWERED_TEXT), LIMITS.fallbackText), blocks };
  }
  const body = reply.sentences.map(
    (s) => `${escapeMrkdwn(s.text)}${citations(s.citations, reply.sources)}`,
  );
  blocks.push(section(body.join('\n')));
  // "The papers don't say." cites nothing: no empty Sources section.
  if (reply.sources.length > 0) {
    const sources = reply.sources.map((p, i) => `[${i + 1}] ${paperRef(p)}`);
    blocks.push(section(`*Sources*\n${sources.join('\n')}`));
  }
  if (reply.related.length > 0) {
    blocks.push(context(`Related: ${reply.related.map(paperRef).join(' · ')}`));
  }
  blocks.push(context(escapeMrkdwn(answerSourceLine(reply))));
  const plain = reply.sentences.map((s) => s.text).join(' ');
  return { text: truncate(escapeMrkdwn(plain), LIMITS.fallbackText), blocks };
}
