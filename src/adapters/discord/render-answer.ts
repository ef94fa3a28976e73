import type { APIEmbed } from 'discord.js';
import { answerSourceLine, UNANSWERED_TEXT } from '../../commands/answer-view.js';
import { paperDateText } from '../../commands/paper-view.js';
import type { AnswerReply } from '../../commands/reply.js';
import type { Paper } from '../../core/paper.js';
import { COLOR, paperUrl } from './render-paper.js';
import { escapeMarkdown, fitEscaped, fitMarkdown, link } from './render-text.js';

function citations(numbers: number[], sources: Paper[]): string {
  if (numbers.length === 0) return '';
  const marks = numbers.map((n) => {
    const paper = sources[n - 1];
    const url = paper ? paperUrl(paper) : undefined;
    return url ? `[\\[${n}\\]](${url.replace(/\)/g, '%29')})` : `\\[${n}\\]`;
  });
  return ` ${marks.join('')}`;
}

/** `ask` as one embed: notes in italics, cited sentences, sources and related as fields. */
export function renderAnswer(reply: AnswerReply): APIEmbed {
  const embed: APIEmbed = {
    title: fitEscaped(reply.question, 256) || 'Answer',
    color: COLOR.info,
  };
  const notes = reply.notes.map((n) => `_${escapeMarkdown(n)}_`);
  if (reply.unanswered) {
    const suggestion = `\`${reply.unanswered.suggestion.replace(/`/g, "'")}\``;
    embed.description = fitMarkdown(
      [...notes, `${UNANSWERED_TEXT} Try ${suggestion}`].join('\n'),
      4096,
    );
    return embed;
  }
  const sentences = reply.sentences.map(
    (s) => `${fitEscaped(s.text, 900)}${citations(s.citations, reply.sources)}`,
  );
  embed.description = fitMarkdown([...notes, ...sentences].join('\n'), 4096);
  const ref = (p: Paper) => `${link(p.title, paperUrl(p), 150)} (${paperDateText(p)})`;
  // "The papers don't say." cites nothing: no empty Sources field.
  embed.fields = [];
  if (reply.sources.length > 0) {
    embed.fields.push({
      name: 'Sources',
      value: fitMarkdown(reply.sources.map((p, i) => `\\[${i + 1}\\] ${ref(p)}`).join('\n'), 1024),
    });
  }
  if (reply.related.length > 0) {
    embed.fields.push({
      name: 'Related papers',
      value: fitMarkdown(reply.related.map(ref).join('\n'), 1024),
    });
  }
  embed.footer = { text: answerSourceLine(reply) };
  return embed;
}
