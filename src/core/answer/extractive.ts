import type { Paper } from '../paper.js';
import { coverage, type RankedSentence, rankSentences } from './rank.js';
import type { Retrieval } from './retrieve.js';
import { questionStems } from './terms.js';
import type { Answer, AnswerSentence } from './types.js';

/** The best paper must hold at least this share of the question's weight to answer it. */
export const MIN_COVERAGE = 0.5;
/** Sentences after the first must score at least this share of the best one. */
const KEEP_RATIO = 0.4;
/**
 * A sentence from any paper but the best one must hold this many distinct question words (or
 * all of them, when the question has fewer): one shared word ("keep", "best") is a
 * coincidence, not an answer.
 */
const MIN_TERMS_ELSEWHERE = 2;
const MAX_SENTENCES = 4;
const MAX_PER_PAPER = 2;
const MAX_RELATED = 3;

/** Numbers papers in the order an answer first cites them. */
export class CitationList {
  readonly papers: Paper[] = [];

  numberOf(paper: Paper): number {
    const at = this.papers.findIndex((p) => p.id === paper.id);
    if (at >= 0) return at + 1;
    this.papers.push(paper);
    return this.papers.length;
  }
}

function pick(
  ranked: RankedSentence[],
  questionTerms: number,
  answers: (paper: Paper) => boolean,
): RankedSentence[] {
  const best = ranked[0];
  // The best sentence must come from a paper about the question, or nothing answers it.
  if (!best || best.score <= 0 || !answers(best.paper)) return [];
  const minTermsElsewhere = Math.min(MIN_TERMS_ELSEWHERE, questionTerms);
  const chosen: RankedSentence[] = [];
  const perPaper = new Map<string, number>();
  for (const s of ranked) {
    if (chosen.length >= MAX_SENTENCES) break;
    if (s.score < best.score * KEEP_RATIO) break;
    // A sentence from a paper that is not about the question is padding, however well it scores.
    if (!answers(s.paper)) continue;
    if (s.paper.id !== best.paper.id && s.matched.length < minTermsElsewhere) continue;
    const used = perPaper.get(s.paper.id) ?? 0;
    if (used >= MAX_PER_PAPER) continue;
    perPaper.set(s.paper.id, used + 1);
    chosen.push(s);
  }
  // Two sentences at least when a second one says anything: one sentence rarely answers.
  if (chosen.length === 1) {
    const second = ranked.find((s) => s !== best && s.score > 0 && s.paper.id === best.paper.id);
    if (second) chosen.push(second);
  }
  return chosen;
}

/**
 * The extractive answer: the 2–4 best sentences of the retrieved abstracts, each citing its
 * paper, or `answered: false` when the best paper does not hold enough of the question.
 */
export function extractiveAnswer(
  question: string,
  retrieval: Retrieval,
  preferred: ReadonlySet<string> = new Set(),
): Answer {
  const base = {
    question,
    relaxations: retrieval.relaxations,
    method: 'extractive' as const,
  };
  const ranking = rankSentences(questionStems(question), retrieval.papers, preferred);
  const covered = new Map<string, boolean>();
  const answers = (paper: Paper) => {
    let ok = covered.get(paper.id);
    if (ok === undefined) {
      ok = coverage(paper, ranking) >= MIN_COVERAGE;
      covered.set(paper.id, ok);
    }
    return ok;
  };
  const chosen = pick(ranking.sentences, ranking.stems.length, answers);
  const first = chosen[0];
  if (!first) {
    return { ...base, answered: false, sentences: [], sources: [], related: [] };
  }
  const citations = new CitationList();
  const sentences: AnswerSentence[] = chosen.map((s) => ({
    text: s.text,
    citations: [citations.numberOf(s.paper)],
  }));
  const cited = new Set(citations.papers.map((p) => p.id));
  const related = retrieval.papers.filter((p) => !cited.has(p.id)).slice(0, MAX_RELATED);
  return { ...base, answered: true, sentences, sources: citations.papers, related };
}
