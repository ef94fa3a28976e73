import { type Paper, paperDate } from '../paper.js';

/**
 * The day a paper counts as from for recency: the date it shows (`paperDate`), never the day
 * it was imported; '' when unknown, which sorts as the oldest.
 */
export function paperDayOf(paper: Paper): string {
  return paperDate(paper) ?? '';
}
