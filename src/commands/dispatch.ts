import { performance } from 'node:perf_hooks';
import { isPaperboyError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { scrubSecretShapes } from '../core/secret-text.js';
import { asStoreFault } from '../core/store/store-fault.js';
import type { CommandContext } from './context.js';
import { HANDLERS } from './handlers.js';
import type { ErrorReply, Reply } from './reply.js';
import {
  type CommandCall,
  findSubcommand,
  type SubcommandName,
  type SubcommandSpec,
} from './spec.js';
import { unknownSubcommandError } from './unknown-subcommand.js';
import { type ValidInput, validateCall } from './validate.js';

function permissionDenied(ctx: CommandContext, name: string): ErrorReply {
  return {
    kind: 'error',
    code: 'PERMISSION_DENIED',
    message: `Only members with the ${ctx.managePermission} permission may change this channel's topics and digest (${name}).`,
  };
}

/** Subcommands whose answer is built from the spec alone, without touching the store. */
const STORELESS = new Set<string>(['help']);

type Checked = { reply: Reply } | { spec: SubcommandSpec; input: ValidInput };

/** The checks that need no store: a known subcommand, the manage permission, valid options. */
function check(call: CommandCall, ctx: CommandContext): Checked {
  const spec = findSubcommand(String(call.name ?? '').toLowerCase());
  if (!spec) return { reply: unknownSubcommandError(String(call.name ?? '')) };
  if (spec.manage && !ctx.user.canManageChannel) return { reply: permissionDenied(ctx, spec.name) };
  const validation = validateCall(spec, call);
  if (!validation.ok) return { reply: validation.error };
  return { spec, input: validation.input };
}

/**
 * The reply when it is in hand without store work (an unknown subcommand, a refusal, an
 * invalid option, help), else `null`: adapters acknowledge first (Discord defers) and only
 * then call `runCommand`, because store work is synchronous and would block the answer.
 */
export async function replyInHand(call: CommandCall, ctx: CommandContext): Promise<Reply | null> {
  const checked = check(call, ctx);
  if ('reply' in checked) return checked.reply;
  return STORELESS.has(checked.spec.name) ? runCommand(call, ctx) : null;
}

/**
 * The one way into the commands: validates the call against the spec, checks the
 * manage permission, runs the subcommand's handler. Never throws: unexpected errors
 * become an INTERNAL reply and a log line with the code. Every answer is reported to
 * `ctx.observeCommand` (metrics), whichever platform called.
 */
export async function runCommand(call: CommandCall, ctx: CommandContext): Promise<Reply> {
  const started = performance.now();
  const reply = await answerCall(call, ctx);
  if (ctx.observeCommand) {
    const subcommand = findSubcommand(String(call.name ?? '').toLowerCase())?.name ?? 'unknown';
    const outcome = reply.kind === 'error' ? reply.code : 'ok';
    try {
      ctx.observeCommand({ subcommand, outcome, ms: performance.now() - started });
    } catch (error) {
      // Counting must never cost the user the answer.
      ctx.logger.warn({ err: error }, 'command observer failed');
    }
  }
  return reply;
}

async function answerCall(call: CommandCall, ctx: CommandContext): Promise<Reply> {
  try {
    const checked = check(call, ctx);
    if ('reply' in checked) return checked.reply;
    // After the adapter acknowledged: wait for a turn, so other acknowledgements go first.
    // A storeless answer (help) is itself the acknowledgement: it never waits in the queue.
    if (!STORELESS.has(checked.spec.name)) await ctx.turns?.take();
    const handler = HANDLERS[checked.spec.name as SubcommandName] as (
      input: ValidInput,
      ctx: CommandContext,
    ) => Promise<Reply>;
    return await handler(checked.input, ctx);
  } catch (error) {
    return faultReply(error, ctx.logger, { command: call.name }, 'command failed');
  }
}

/**
 * The answer to a fault while answering (the store or search threw): its code, the coded
 * error's own message or a generic one, and a log line with the cause. `lead` starts the
 * message ("Couldn't answer right now"), so a question never reads as "no paper matches".
 */
export function faultReply(
  error: unknown,
  logger: Logger,
  fields: Record<string, unknown>,
  what: string,
  lead?: string,
): ErrorReply {
  // A database error (SQLite, PostgreSQL) is a store fault, not a bug: STORE_FAILED.
  const fault = asStoreFault(error);
  const code = isPaperboyError(fault) ? fault.code : 'INTERNAL';
  logger.error({ err: error, code, ...fields }, what);
  // A coded error's message may quote an upstream one, and that a URL with its secret.
  const detail = isPaperboyError(fault)
    ? scrubSecretShapes(fault.message)
    : 'Something went wrong inside Paperboy; the error is logged. Please try again.';
  return { kind: 'error', code, message: lead ? `${lead} (${code}): ${detail}` : detail };
}
