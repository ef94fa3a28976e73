import type { Paper } from '../paper.js';

/** The day a paper counts as from for recency: published, else first seen. */
export function paperDayOf(paper: Paper): string {
  return paper.publishedAt ?? paper.firstSeenAt.slice(0, 10);
}
