import type { Paper } from '../paper.js';
import { paperDayOf } from './paper-day.js';
import { splitSentences } from './sentences.js';
import { alignStems, textStems } from './terms.js';

const K1 = 1.2;
const B = 0.75;
/** A sentence of a paper whose title holds question words gains this share of their weight. */
const TITLE_BONUS = 0.35;
/** Papers the question is asked about first (a digest's thread) gain this share of their score. */
const PREFERRED_BONUS = 0.5;

export interface RankedSentence {
  text: string;
  paper: Paper;
  /** Position of the paper among the retrieved ones (0 = best). */
  paperRank: number;
  score: number;
  /** Question stems this sentence holds. */
  matched: string[];
}

export interface SentenceRanking {
  sentences: RankedSentence[];
  /** Question stems after aligning typos and prefixes onto the retrieved text. */
  stems: string[];
  /** Weight of each question stem (BM25 idf over the retrieved sentences). */
  weights: Map<string, number>;
}

interface Unit {
  text: string;
  paper: Paper;
  paperRank: number;
  stems: string[];
}

/**
 * Ranks every sentence of the retrieved papers' abstracts against the question: BM25 term
 * weights with the sentences as documents, a bonus for question words in the paper's title,
 * the newer paper first among equal scores.
 */
export function rankSentences(
  questionStemList: string[],
  papers: Paper[],
  preferred: ReadonlySet<string> = new Set(),
): SentenceRanking {
  const units: Unit[] = papers.flatMap((paper, paperRank) =>
    splitSentences(paper.abstract).map((text) => ({
      text,
      paper,
      paperRank,
      stems: textStems(text),
    })),
  );
  const vocabulary = new Set<string>();
  for (const u of units) for (const s of u.stems) vocabulary.add(s);
  for (const p of papers) for (const s of textStems(p.title)) vocabulary.add(s);
  const stems = [...new Set(alignStems(questionStemList, vocabulary))];

  const n = Math.max(units.length, 1);
  const df = new Map<string, number>(stems.map((s) => [s, 0]));
  for (const u of units) {
    const present = new Set(u.stems);
    for (const s of stems) if (present.has(s)) df.set(s, (df.get(s) ?? 0) + 1);
  }
  const weights = new Map(
    stems.map((s) => {
      const d = df.get(s) ?? 0;
      return [s, Math.log(1 + (n - d + 0.5) / (d + 0.5))];
    }),
  );
  const avgLength = units.reduce((sum, u) => sum + u.stems.length, 0) / n || 1;
  const titleStems = new Map(papers.map((p) => [p.id, new Set(textStems(p.title))]));

  const ranked = units.map((u): RankedSentence => {
    const tf = new Map<string, number>();
    for (const s of u.stems) if (weights.has(s)) tf.set(s, (tf.get(s) ?? 0) + 1);
    let score = 0;
    for (const [s, f] of tf) {
      const norm = K1 * (1 - B + (B * u.stems.length) / avgLength);
      score += ((weights.get(s) ?? 0) * f * (K1 + 1)) / (f + norm);
    }
    if (score > 0) {
      const title = titleStems.get(u.paper.id) ?? new Set<string>();
      for (const s of stems) if (title.has(s)) score += TITLE_BONUS * (weights.get(s) ?? 0);
      if (preferred.has(u.paper.id)) score *= 1 + PREFERRED_BONUS;
    }
    return { text: u.text, paper: u.paper, paperRank: u.paperRank, score, matched: [...tf.keys()] };
  });
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      paperDayOf(b.paper).localeCompare(paperDayOf(a.paper)) ||
      a.paperRank - b.paperRank,
  );
  return { sentences: ranked, stems, weights };
}

/**
 * Share of the question's weight that a paper's title and abstract hold (0–1). A word no
 * retrieved paper has weighs as much as the rarest word they do have, no more: one synonym
 * ("keep" for "retain") must not sink an answer, while a question mostly about absent
 * things ("water on Mars") still finds nothing.
 */
export function coverage(paper: Paper, ranking: SentenceRanking): number {
  const present = new Set(textStems(`${paper.title} ${paper.abstract}`));
  const seen = new Set(ranking.sentences.filter((s) => s.score > 0).flatMap((s) => s.matched));
  const cap = Math.max(0, ...[...seen].map((s) => ranking.weights.get(s) ?? 0));
  let total = 0;
  let held = 0;
  for (const s of ranking.stems) {
    const w = seen.has(s) ? (ranking.weights.get(s) ?? 0) : cap;
    total += w;
    if (present.has(s)) held += w;
  }
  return total === 0 ? 0 : held / total;
}
