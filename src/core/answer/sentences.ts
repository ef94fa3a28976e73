const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentences shorter than this are headings or fragments ("Code: …"), not answers. */
const MIN_SENTENCE = 25;

/**
 * An abstract's sentences, whitespace collapsed. `Intl.Segmenter` knows "e.g." and
 * decimals; pieces shorter than `minLength` (fragments of an abstract) join their neighbour.
 */
export function splitSentences(text: string, minLength = MIN_SENTENCE): string[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean === '') return [];
  const out: string[] = [];
  let carry = '';
  for (const { segment } of segmenter.segment(clean)) {
    const s = `${carry}${segment}`.trim();
    // The segmenter breaks after "i.e." or "et al." when a capital follows: glue short pieces on.
    if (s.length < minLength || /\b(?:e\.g|i\.e|et al|cf|vs|Fig|Eq)\.$/.test(s)) {
      carry = `${s} `;
      continue;
    }
    out.push(s);
    carry = '';
  }
  const tail = carry.trim();
  if (tail) {
    if (out.length > 0 && tail.length < minLength) out[out.length - 1] += ` ${tail}`;
    else out.push(tail);
  }
  return out;
}
