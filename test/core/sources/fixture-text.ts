import { readFileSync } from 'node:fs';

/** Text of a file under test/fixtures/ (or, with `../../samples/…`, the bundled sample). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
}
