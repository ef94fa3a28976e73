import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run bench -- <section>` runs bench/<section>.ts, whose `run()` prints a table and
// merges its figures into bench/results.json.
const here = path.dirname(fileURLToPath(import.meta.url));

/** A section is a bench file exporting `run`; shared modules (corpus, results, …) are not. */
const EXPORTS_RUN = /^export\s+(?:async\s+)?function\s+run\s*\(/m;

// Read, not imported: listing the sections must not load every bench's dependencies.
function benchSections(): string[] {
  return readdirSync(here)
    .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
    .filter((name) => EXPORTS_RUN.test(readFileSync(path.join(here, name), 'utf8')))
    .map((name) => name.slice(0, -3))
    .sort();
}

const sections = benchSections();
const section = process.argv[2];

if (!section || !sections.includes(section)) {
  const problem = section ? `Unknown bench section "${section}".\n` : 'Name a bench section.\n';
  process.stderr.write(
    `${problem}Usage: npm run bench -- <section>\nSections: ${sections.join(', ')}\n`,
  );
  process.exitCode = 1;
} else {
  const module = (await import(`./${section}.ts`)) as { run: () => Promise<void> };
  await module.run();
}
