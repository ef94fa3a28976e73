import { questionWords } from '../core/answer/retrieve.js';
import type { Answer } from '../core/answer/types.js';
import type { AnswerReply } from './reply.js';
import { describeRelaxations } from './search-notes.js';
import { COMMAND_NAME } from './spec.js';

/** A core answer as a Reply: notes first, then the sentences, sources and related papers. */
export function answerReply(answer: Answer, model: string | null): AnswerReply {
  // Search's own line, so a partial match is never passed off as a match in either.
  const relaxed = answer.answered
    ? describeRelaxations(answer.relaxations, 'Answering from')
    : null;
  const notes = relaxed ? [relaxed] : [];
  if (answer.note) notes.push(answer.note);
  const reply: AnswerReply = {
    kind: 'answer',
    question: answer.question,
    sentences: answer.sentences,
    sources: answer.sources,
    related: answer.related,
    notes,
    source: answer.method === 'model' && model ? { kind: 'model', model } : { kind: 'abstracts' },
  };
  if (!answer.answered) {
    const words = questionWords(answer.question).join(' ');
    reply.unanswered = {
      suggestion: words ? `/${COMMAND_NAME} search ${words}` : `/${COMMAND_NAME} latest`,
    };
  }
  return reply;
}
