import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run bench -- <section>` runs bench/<section>.ts, whose `run()` prints a table and
// merges its figures into bench/results.json.
const here = path.dirname(fileURLToPath(import.meta.url));
const section = process.argv[2];
const sections = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !['run.ts', 'corpus.ts', 'results.ts'].includes(name))
  .map((name) => name.slice(0, -3));

if (!section || !sections.includes(section)) {
  process.stderr.write(`Usage: npm run bench -- <section>\nSections: ${sections.join(', ')}\n`);
  process.exitCode = 1;
} else {
  const module = (await import(`./${section}.ts`)) as { run: () => Promise<void> };
  await module.run();
}
