import type { PageRequest } from './reply.js';
import { type CommandCall, findSubcommand } from './spec.js';

function quoteIfNeeded(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

/**
 * The text form of a call, as a user would type it (inverse of `parseCommandText`):
 * the `rest` option as free words, the others as `name:value`.
 */
export function callToText(call: CommandCall): string {
  const spec = findSubcommand(call.name);
  const parts = [call.name];
  const rest = spec?.options.find((o) => o.rest);
  for (const [name, value] of Object.entries(call.options)) {
    if (value === undefined || name === rest?.name) continue;
    parts.push(`${name}:${quoteIfNeeded(String(value))}`);
  }
  const restValue = rest ? call.options[rest.name] : undefined;
  if (restValue !== undefined) parts.splice(1, 0, String(restValue));
  return parts.join(' ');
}

/** A page request as the call adapters run: `{ name: command, options: { ...args, page } }`. */
export function pageCall(request: PageRequest): CommandCall {
  return { name: request.command, options: { ...request.args, page: request.page } };
}
