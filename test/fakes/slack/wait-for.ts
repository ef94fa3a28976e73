import type { EventEmitter } from 'node:events';

/**
 * Resolves with the predicate's first truthy value, checked now and after every
 * `change` the emitter reports; rejects after `timeoutMs`. No polling sleeps.
 */
export function waitFor<T>(
  events: EventEmitter,
  predicate: () => T | undefined | null | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = (): boolean => {
      const value = predicate();
      if (!value) return false;
      cleanup();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      events.off('change', onChange);
    };
    const onChange = () => {
      check();
    };
    events.on('change', onChange);
    check();
  });
}
