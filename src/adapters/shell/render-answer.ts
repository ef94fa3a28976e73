import { answerSourceLine, citationText, UNANSWERED_TEXT } from '../../commands/answer-view.js';
import { paperDateText } from '../../commands/paper-view.js';
import type { AnswerReply } from '../../commands/reply.js';
import type { Paper } from '../../core/paper.js';

export interface AnswerPaint {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
}

function paperRef(paper: Paper, safe: (t: string) => string, paint: AnswerPaint): string {
  const url = paper.links.arxivAbs ?? paper.links.huggingface;
  const at = url ? ` ${paint.accent(safe(url))}` : '';
  return `${safe(paper.title)} ${paint.dim(`(${paperDateText(paper)})`)}${at}`;
}

/** `ask` in the terminal: notes, the cited sentences, sources, related papers. */
export function renderAnswerText(
  reply: AnswerReply,
  paint: AnswerPaint,
  safe: (text: string) => string,
  wrap: (text: string) => string,
): string {
  const lines = [paint.bold(safe(`Q: ${reply.question}`))];
  for (const note of reply.notes) lines.push(paint.dim(safe(note)));
  if (reply.unanswered) {
    lines.push(safe(UNANSWERED_TEXT), `Try: ${paint.accent(safe(reply.unanswered.suggestion))}`);
    return lines.join('\n');
  }
  for (const s of reply.sentences) lines.push(wrap(safe(`${s.text}${citationText(s.citations)}`)));
  lines.push('', paint.bold('Sources'));
  lines.push(...reply.sources.map((p, i) => `[${i + 1}] ${paperRef(p, safe, paint)}`));
  if (reply.related.length > 0) {
    lines.push(paint.bold('Related papers'));
    for (const p of reply.related) lines.push(`- ${paperRef(p, safe, paint)}`);
  }
  lines.push(paint.dim(answerSourceLine(reply)));
  return lines.join('\n');
}
