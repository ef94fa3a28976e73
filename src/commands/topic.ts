import { cleanText } from '../core/paper.js';

/** Topics are stored lower-case with single spaces, so "Robotics " and "robotics" are one topic. */
export function normaliseTopic(text: string): string {
  return cleanText(text).toLowerCase();
}

/** Most topics a channel may follow. */
export const MAX_TOPICS = 25;
