import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

/** Merges one section's figures into bench/results.json, leaving other sections as they are. */
export function writeBenchResults(section: string, figures: Record<string, unknown>): void {
  const all = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
    : {};
  all[section] = figures;
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
}
