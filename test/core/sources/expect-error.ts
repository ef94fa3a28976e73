import { expect } from 'vitest';
import { type ErrorCode, isPaperboyError, type PaperboyError } from '../../../src/core/errors.js';

/** Runs `run`, expects a PaperboyError with `code`, and returns it for more checks. */
export function expectPaperboyError(run: () => unknown, code: ErrorCode): PaperboyError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a PaperboyError').toBeInstanceOf(Error);
  expect((thrown as PaperboyError).code).toBe(code);
  if (!isPaperboyError(thrown, code)) throw thrown;
  return thrown;
}
