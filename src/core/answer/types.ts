import type { Paper } from '../paper.js';
import type { QueryRelaxation } from '../search/types.js';

/** One sentence of an answer and the sources it cites (1-based numbers into `sources`). */
export interface AnswerSentence {
  text: string;
  citations: number[];
}

/**
 * An answer to a question, platform-neutral. `sources[i]` is citation number i + 1.
 * `answered: false` means the stored papers do not answer it: no sentences, never padding.
 */
export interface Answer {
  question: string;
  answered: boolean;
  sentences: AnswerSentence[];
  sources: Paper[];
  /** Retrieved papers that were not cited, best first. */
  related: Paper[];
  /** What retrieval had to relax to find anything (told to the user). */
  relaxations: QueryRelaxation[];
  /** How the answer was made: extracted sentences, or a configured model's words. */
  method: 'extractive' | 'model';
  /** One line when a configured model could not be used (the extractive answer stands in). */
  note?: string;
}
