import type { Paper } from '../paper.js';
import { splitSentences } from './sentences.js';
import type { AnswerSentence } from './types.js';

/** The fixed instructions sent with every question (the README quotes them). */
export const MODEL_INSTRUCTIONS = [
  'You answer a question using only the numbered paper abstracts you are given.',
  'Every claim must end with the number of the abstract it comes from in brackets, e.g. [2].',
  'Cite only numbers that appear in the list. Do not use outside knowledge.',
  'If the abstracts do not answer the question, say exactly: "The papers don\'t say."',
  'Answer in at most four sentences of plain text.',
].join(' ');

/** The user message: the question and the abstracts, numbered. Nothing else about anyone. */
export function modelUserMessage(question: string, papers: Paper[]): string {
  const abstracts = papers.map((p, i) => `[${i + 1}] ${p.abstract.replace(/\s+/g, ' ').trim()}`);
  return `Question: ${question}\n\nAbstracts:\n${abstracts.join('\n\n')}`;
}

const MARKERS = /\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;
const LEADING_MARKERS = /^(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+/;

/**
 * The model's text as sentences with citation numbers. Numbers outside 1..`sourceCount`
 * (invented) are dropped, and a sentence citing only invented numbers with them: its claim
 * has no source to show (every claim shown is cited). A marker the segmenter left at the start of the next sentence
 * ("… merging. [1] It …") belongs to the sentence before.
 */
export function parseModelText(text: string, sourceCount: number): AnswerSentence[] {
  // A model's short sentence ("The papers don't say.") is a sentence, not a fragment.
  const pieces = splitSentences(text, 1);
  const out: AnswerSentence[] = [];
  for (const piece of pieces) {
    let body = piece;
    const lead = LEADING_MARKERS.exec(body)?.[0];
    const previous = out.at(-1);
    if (lead && previous) {
      previous.citations = mergeCitations(previous.citations, numbersIn(lead, sourceCount));
      body = body.slice(lead.length);
    }
    const citations = numbersIn(body, sourceCount);
    if (citations.length === 0 && body.search(MARKERS) >= 0) continue;
    const clean = body
      .replace(MARKERS, '')
      .replace(/\s+([.,;:!?])/g, '$1')
      .trim();
    if (clean === '') continue;
    out.push({ text: clean, citations });
  }
  return out;
}

function numbersIn(text: string, sourceCount: number): number[] {
  const found: number[] = [];
  for (const m of text.matchAll(MARKERS)) {
    for (const part of (m[1] ?? '').split(',')) {
      const n = Number(part.trim());
      if (Number.isInteger(n) && n >= 1 && n <= sourceCount) found.push(n);
    }
  }
  return [...new Set(found)];
}

function mergeCitations(a: number[], b: number[]): number[] {
  return [...new Set([...a, ...b])];
}
