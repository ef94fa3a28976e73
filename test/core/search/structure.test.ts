import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '../../../src/core/search');

/** Each search module and the search modules it imports (type-only imports included). */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    out.set(
      file,
      [...text.matchAll(/from\s*'\.\/([^']+)\.js'/g)].map((m) => `${m[1]}.ts`),
    );
  }
  return out;
}

describe('src/core/search', () => {
  it('has no import cycle', () => {
    const g = graph();
    expect(g.size).toBeGreaterThan(10);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const dep of g.get(file) ?? []) visit(dep, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of g.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
