import { createHash } from 'node:crypto';
import type { PageRequest } from '../../commands/reply.js';
import type { CommandCall } from '../../commands/spec.js';
import { findSubcommand } from '../../commands/spec.js';
import { EXPIRING_STATE } from '../../core/expiring-state.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import type { PendingState } from '../../core/store/pending-state.js';

/** Discord's limit on a component's custom_id. */
export const CUSTOM_ID_MAX = 100;
const INLINE = 'pg:';
const STORED = 'pk:';
const STATE_PREFIX = EXPIRING_STATE.discordPage;

/** `pg:search:2:query=robotics&since=2024-01-01` — the whole request, no server state. */
export function encodePageInline(request: PageRequest): string {
  const args = new URLSearchParams();
  for (const [name, value] of Object.entries(request.args)) args.set(name, String(value));
  return `${INLINE}${request.command}:${request.page}:${args.toString()}`;
}

/**
 * The custom_id of a paging button: the request itself when it fits in 100
 * characters, else a short key whose request is kept in the store (so the button
 * still works after a restart, never only in memory).
 */
export function pageCustomId(request: PageRequest, pending: PendingState): string {
  const inline = encodePageInline(request);
  if (inline.length <= CUSTOM_ID_MAX) return inline;
  const key = createHash('sha256').update(inline).digest('base64url').slice(0, 22);
  pending.put(`${STATE_PREFIX}${key}`, JSON.stringify(request));
  return `${STORED}${key}`;
}

function typedArgs(command: string, raw: Record<string, string>): PageRequest['args'] {
  const spec = findSubcommand(command);
  const args: PageRequest['args'] = {};
  for (const [name, value] of Object.entries(raw)) {
    const option = spec?.options.find((o) => o.name === name);
    args[name] = option?.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return args;
}

/** A paging button whose request is parked in the store (reading it is store work). */
export function isParkedPageId(customId: string): boolean {
  return customId.startsWith(STORED);
}

/** The request behind a paging button, or `null` when the id is not ours or its state is gone. */
export async function decodePageCustomId(
  customId: string,
  store: Pick<AsyncStore, 'getState'>,
): Promise<PageRequest | null> {
  if (customId.startsWith(INLINE)) {
    const match = /^pg:([a-z]+):(\d+):(.*)$/.exec(customId);
    if (!match?.[1] || !match[2]) return null;
    const raw = Object.fromEntries(new URLSearchParams(match[3] ?? ''));
    return { command: match[1], page: Number(match[2]), args: typedArgs(match[1], raw) };
  }
  if (customId.startsWith(STORED)) {
    const saved = await store.getState(`${STATE_PREFIX}${customId.slice(STORED.length)}`);
    if (!saved) return null;
    try {
      const parsed = JSON.parse(saved) as PageRequest;
      return typeof parsed.command === 'string' && typeof parsed.page === 'number' ? parsed : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** A paging request turned back into the command it re-runs. */
export function pageCall(request: PageRequest): CommandCall {
  return { name: request.command, options: { ...request.args, page: request.page } };
}

/** The select menu of a choice reply runs `command` with the chosen paper. */
export function choiceCustomId(command: string): string {
  return `ch:${command}`;
}

export function decodeChoice(customId: string, value: string): CommandCall | null {
  const match = /^ch:([a-z]+)$/.exec(customId);
  const spec = match?.[1] ? findSubcommand(match[1]) : undefined;
  const first = spec?.options[0];
  if (!spec || !first) return null;
  return { name: spec.name, options: { [first.name]: value } };
}
