import type { Logger } from '../logger.js';
import type { Paper } from '../paper.js';
import type { PaperSearch } from '../search/types.js';
import { CitationList, extractiveAnswer } from './extractive.js';
import { askModel, ModelFailure, type ModelSettings } from './model-client.js';
import { retrieve } from './retrieve.js';
import type { Answer } from './types.js';

/** Abstracts a model reads: the best few, to keep the prompt small and on topic. */
export const MODEL_ABSTRACTS = 5;

export interface AnswerDeps {
  search: PaperSearch;
  logger: Logger;
  /** A configured model, or `null`: then no request is ever made. */
  model: ModelSettings | null;
  fetch?: typeof fetch;
  /** A signal that aborts after `ms` (the model's timeout); injectable so a test times out on an event. */
  timeoutSignal?: (ms: number) => AbortSignal;
  /** Question words too common in the archive to retrieve by (see SimilarPapers.commonWords). */
  commonWords?: (words: string[]) => Set<string>;
}

const FALLBACK_NOTE: Record<ModelFailure['reason'], string> = {
  timeout: 'The configured model did not answer in time',
  http: 'The configured model answered with an error',
  network: 'The configured model could not be reached',
  malformed: 'The configured model gave an answer Paperboy could not read',
};

/**
 * Answers a question from the stored papers: `preferred` papers (a digest's, in its thread)
 * are read first, then the archive. With a model configured and something to answer from,
 * the model writes the answer from the abstracts; any failure falls back to the extractive
 * answer with a one-line note.
 */
export async function answerQuestion(
  question: string,
  deps: AnswerDeps,
  preferred: Paper[] = [],
): Promise<Answer> {
  const retrieval = await retrieve(deps.search, question, preferred, deps.commonWords);
  const extractive = extractiveAnswer(question, retrieval, new Set(preferred.map((p) => p.id)));
  if (!deps.model || !extractive.answered) return extractive;
  // The extractive ranking's papers come first: the model reads the most relevant abstracts.
  const ordered = [
    ...extractive.sources,
    ...retrieval.papers.filter((p) => !extractive.sources.some((s) => s.id === p.id)),
  ].slice(0, MODEL_ABSTRACTS);
  try {
    const sentences = await askModel(deps.model, question, ordered, deps.fetch, deps.timeoutSignal);
    const citations = new CitationList();
    const renumbered = sentences.map((s) => ({
      text: s.text,
      citations: s.citations.map((n) => citations.numberOf(ordered[n - 1] as Paper)),
    }));
    const cited = new Set(citations.papers.map((p) => p.id));
    return {
      ...extractive,
      method: 'model',
      sentences: renumbered,
      sources: citations.papers,
      related: retrieval.papers.filter((p) => !cited.has(p.id)).slice(0, 3),
    };
  } catch (error) {
    if (!(error instanceof ModelFailure)) throw error;
    deps.logger.warn(
      { reason: error.reason, err: error.message },
      'model answer failed; extractive answer used',
    );
    return {
      ...extractive,
      note: `${FALLBACK_NOTE[error.reason]}; these sentences are quoted from the abstracts.`,
    };
  }
}
