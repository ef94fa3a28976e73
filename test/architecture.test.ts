import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..', 'src');
const CHAT_SDKS = ['discord.js', '@slack/bolt', '@slack/web-api', '@slack/socket-mode'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(
    /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g,
  )) {
    if (match[1]) specifiers.push(match[1]);
  }
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (match[1]) specifiers.push(match[1]);
  }
  return specifiers;
}

/** The layer a resolved import lands in, or the package name for bare imports. */
function targetOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const resolved = path.relative(SRC, path.resolve(path.dirname(file), specifier));
  return resolved.split(path.sep)[0] ?? '';
}

describe('dependencies point inward (adapters → commands → core)', () => {
  const rules: Array<{ layer: string; forbidden: string[] }> = [
    { layer: 'core', forbidden: ['commands', 'adapters', 'main.ts', 'app.ts', ...CHAT_SDKS] },
    { layer: 'commands', forbidden: ['adapters', 'main.ts', ...CHAT_SDKS] },
  ];

  for (const { layer, forbidden } of rules) {
    it(`src/${layer} imports none of: ${forbidden.join(', ')}`, () => {
      const offences = sourceFiles(path.join(SRC, layer)).flatMap((file) =>
        importsOf(file)
          .filter((specifier) =>
            forbidden.some(
              (f) =>
                targetOf(file, specifier).replace(/\.js$/, '.ts') === f ||
                targetOf(file, specifier) === f ||
                specifier.startsWith(`${f}/`),
            ),
          )
          .map((specifier) => `${path.relative(SRC, file)} imports ${specifier}`),
      );
      expect(offences).toEqual([]);
    });
  }

  it('the checker sees real imports (guards against a rule that cannot fail)', () => {
    const mainImports = importsOf(path.join(SRC, 'config', 'schema.ts'));
    expect(mainImports).toContain('zod');
    expect(targetOf(path.join(SRC, 'core', 'x.ts'), '../commands/reply.js')).toBe('commands');
  });
});
