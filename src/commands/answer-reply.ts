import { questionWords } from '../core/answer/retrieve.js';
import type { Answer } from '../core/answer/types.js';
import type { QueryRelaxation } from '../core/search/types.js';
import type { AnswerReply } from './reply.js';
import { COMMAND_NAME } from './spec.js';

/** One line telling what retrieval relaxed, so a partial match is never passed off as a match. */
export function relaxationLine(r: QueryRelaxation): string {
  switch (r.kind) {
    case 'any-term':
      return `No paper has all of: ${r.words.join(', ')}. This answer draws on papers with some of them.`;
    case 'corrected':
      return `Read "${r.from}" as "${r.to}".`;
    case 'stop-word-dropped':
      return `Left out the common word "${r.word}".`;
  }
}

/** A core answer as a Reply: notes first, then the sentences, sources and related papers. */
export function answerReply(answer: Answer, model: string | null): AnswerReply {
  const notes = answer.answered ? answer.relaxations.map(relaxationLine) : [];
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
