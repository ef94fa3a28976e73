// Starts the JSON Lines reading thread. The thread's module is TypeScript like all of
// Paperboy, which always runs through tsx (a runtime dependency); a worker thread gets no
// loader from its parent, so this plain module registers tsx before loading it.
import { register } from 'tsx/esm/api';

register();
await import('./json-lines-worker.ts');
