import type { AnswerReply } from './reply.js';

/** Facts about an answer every renderer shows the same way; markup is the renderer's job. */

export const UNANSWERED_TEXT = "The stored papers don't answer this.";

/** "Quoted from the abstracts of the papers cited." or "Written by llama3 from …". */
export function answerSourceLine(reply: AnswerReply): string {
  return reply.source.kind === 'model'
    ? `Written by ${reply.source.model} from the abstracts of the papers cited; check the sources.`
    : 'Quoted from the abstracts of the papers cited.';
}

/** ` [1, 2]` after a sentence; empty when it cites nothing. */
export function citationText(citations: number[]): string {
  return citations.length > 0 ? ` [${citations.join(', ')}]` : '';
}
