import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { EXPIRING_STATE } from '../../core/expiring-state.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import { PendingState } from '../../core/store/pending-state.js';
import { type ActionCall, jsonValue } from './blocks.js';
import { LIMITS } from './mrkdwn.js';

const STATE_PREFIX = EXPIRING_STATE.slackAction;

export interface ActionCodec {
  /** Synchronous for the pure renderer: a parked value is written by `save()`. */
  encode(call: ActionCall): string;
  /** Writes the values `encode` parked; called before the message carrying them is sent. */
  save(): Promise<void>;
  /** `null` for a value that is not ours or whose stored state is gone. */
  decode(value: string): Promise<ActionCall | null>;
}

function parse(json: string): ActionCall | null {
  try {
    const raw = JSON.parse(json) as { c?: unknown; o?: unknown };
    if (typeof raw.c !== 'string' || typeof raw.o !== 'object' || raw.o === null) return null;
    const options: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(raw.o as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') options[k] = v;
    }
    return { command: raw.c, options };
  } catch {
    return null;
  }
}

/**
 * Button values carry the command to re-run, so they work after a restart. The rare
 * value over Slack's 2000 characters is parked in the store under a short hash.
 */
export function createActionCodec(store: AsyncStore, clock: Clock): ActionCodec {
  const pending = new PendingState(store, () => clock.now());
  return {
    encode(call) {
      const json = jsonValue(call);
      if (json.length <= LIMITS.buttonValue) return json;
      const key = createHash('sha256').update(json).digest('base64url').slice(0, 22);
      pending.put(STATE_PREFIX + key, json);
      return `s:${key}`;
    },
    save: () => pending.save(),
    async decode(value) {
      if (value.startsWith('s:')) {
        const json = await store.getState(STATE_PREFIX + value.slice(2));
        return json === null ? null : parse(json);
      }
      return parse(value);
    },
  };
}
