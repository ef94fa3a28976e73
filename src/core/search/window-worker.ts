import { renameSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { buildWindowIndex, type WindowDoc } from './window-index.js';

/** Builds the window's Lunr index off the request path; optionally persists it. */
interface Job {
  docs: WindowDoc[];
  /** Where to persist `{ stamp, rowids, index }`, or null (in-memory search). */
  file: string | null;
  stamp: unknown;
}

const job = workerData as Job;
const index = JSON.stringify(buildWindowIndex(job.docs));
if (job.file) {
  const rowids = JSON.stringify(job.docs.map((d) => d.rowid));
  const tmp = `${job.file}.${process.pid}.tmp`;
  writeFileSync(tmp, `{"stamp":${JSON.stringify(job.stamp)},"rowids":${rowids},"index":${index}}`);
  renameSync(tmp, job.file);
}
parentPort?.postMessage(index);
