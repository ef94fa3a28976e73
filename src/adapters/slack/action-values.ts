import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { EXPIRING_STATE } from '../../core/expiring-state.js';
import type { Store } from '../../core/store/store.js';
import { type ActionCall, jsonValue } from './blocks.js';
import { LIMITS } from './mrkdwn.js';

const STATE_PREFIX = EXPIRING_STATE.slackAction;

export interface ActionCodec {
  encode(call: ActionCall): string;
  /** `null` for a value that is not ours or whose stored state is gone. */
  decode(value: string): ActionCall | null;
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
export function createActionCodec(store: Store, clock: Clock): ActionCodec {
  return {
    encode(call) {
      const json = jsonValue(call);
      if (json.length <= LIMITS.buttonValue) return json;
      const key = createHash('sha256').update(json).digest('base64url').slice(0, 22);
      store.putState(STATE_PREFIX + key, json, clock.now());
      return `s:${key}`;
    },
    decode(value) {
      if (value.startsWith('s:')) {
        const json = store.getState(STATE_PREFIX + value.slice(2));
        return json === null ? null : parse(json);
      }
      return parse(value);
    },
  };
}
