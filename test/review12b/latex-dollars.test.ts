import { describe, expect, it } from 'vitest';
import { parseHfDailyPapers } from '../../src/core/sources/parse-hf-daily-papers.js';

// Issue 12: the LaTeX-to-Unicode pass keeps `$…$` math readable. Abstracts also use `$` for
// money ("from $2.5M to $300K"), unescaped, in arXiv's own metadata and so in every feed that
// copies it: the pass reads the text between two such signs as math and drops both signs,
// so the abstract shown says "from 2.5M to 300K".

describe('review12b: dollar amounts in an abstract', () => {
  it('keep their dollar signs', () => {
    const summary =
      'We cut the cost of pre-training from $2.5M to $300K while keeping $k$-shot accuracy within 1%.';
    const parsed = parseHfDailyPapers(
      JSON.stringify([
        {
          paper: {
            id: '2410.14735',
            authors: [{ name: 'So Kuroki' }],
            publishedAt: '2024-10-16T02:20:57.000Z',
            title: 'Cheap Pre-Training',
            summary,
            upvotes: 3,
          },
          publishedAt: '2024-10-17T22:12:40.411Z',
          title: 'Cheap Pre-Training',
        },
      ]),
      { fetchedAt: '2024-10-18T06:00:00.000Z' },
    );
    expect(parsed.papers[0]?.abstract).toBe(
      'We cut the cost of pre-training from $2.5M to $300K while keeping k-shot accuracy within 1%.',
    );
  });
});
