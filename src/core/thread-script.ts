import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { build, stop } from 'esbuild';

/** One bundle per entry module and process: a second thread of the same kind starts at once. */
const scripts = new Map<string, Promise<string>>();
/** Builds under way: esbuild's process is stopped when none is (it would idle beside a bot). */
let building = 0;

/**
 * The entry module and what it imports as one script, built by esbuild (tsx's own compiler)
 * in its own process. The packages left out are loaded by a `require` that resolves from the
 * entry's folder.
 */
function scriptOf(entry: URL): Promise<string> {
  let script = scripts.get(entry.href);
  if (!script) {
    const file = fileURLToPath(entry);
    building++;
    script = build({
      entryPoints: [file],
      bundle: true,
      // A native addon cannot be bundled, nor esbuild (it finds its binary from its folder);
      // every other package is (unicode2latex's CommonJS build, which a plain `require`
      // would load, does not load on Node 20).
      external: ['better-sqlite3', 'esbuild'],
      platform: 'node',
      format: 'iife',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    }).then((result) => {
      const code = result.outputFiles[0]?.text ?? '';
      const from = JSON.stringify(file);
      return `(function (require) {\n${code}\n})(require('node:module').createRequire(${from}));`;
    });
    // A failed build is not kept: the next thread tries again.
    script.catch(() => scripts.delete(entry.href));
    // This chain only counts builds; a failed build reaches the thread's starter through
    // `script` itself, so its copy here is not left unhandled.
    script
      .finally(() => {
        if (--building === 0) void stop();
      })
      .catch(() => {});
    scripts.set(entry.href, script);
  }
  return script;
}

/**
 * A worker thread running a TypeScript module. Threads do not inherit tsx's loader on Node 20,
 * and loading the module through tsx inside the thread (its loader, then each file compiled)
 * took 0.3 s to seconds before the thread could work; as one bundled script it starts in about
 * a tenth of a second.
 */
export async function startThread(
  entry: URL,
  options: Omit<WorkerOptions, 'eval'> = {},
): Promise<Worker> {
  return new Worker(await scriptOf(entry), { ...options, eval: true });
}
