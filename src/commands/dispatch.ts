import { performance } from 'node:perf_hooks';
import { isPaperboyError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import { HANDLERS } from './handlers.js';
import type { ErrorReply, Reply } from './reply.js';
import { type CommandCall, findSubcommand, type SubcommandName } from './spec.js';
import { unknownSubcommandError } from './unknown-subcommand.js';
import { type ValidInput, validateCall } from './validate.js';

function permissionDenied(ctx: CommandContext, name: string): ErrorReply {
  return {
    kind: 'error',
    code: 'PERMISSION_DENIED',
    message: `Only members with the ${ctx.managePermission} permission may change this channel's topics and digest (${name}).`,
  };
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
    const spec = findSubcommand(String(call.name ?? '').toLowerCase());
    if (!spec) return unknownSubcommandError(String(call.name ?? ''));
    const handler = HANDLERS[spec.name as SubcommandName] as (
      input: ValidInput,
      ctx: CommandContext,
    ) => Promise<Reply>;
    if (spec.manage && !ctx.user.canManageChannel) return permissionDenied(ctx, spec.name);
    const validation = validateCall(spec, call);
    if (!validation.ok) return validation.error;
    return await handler(validation.input, ctx);
  } catch (error) {
    const code = isPaperboyError(error) ? error.code : 'INTERNAL';
    ctx.logger.error({ err: error, code, command: call.name }, 'command failed');
    const message = isPaperboyError(error)
      ? error.message
      : 'Something went wrong inside Paperboy; the error is logged. Please try again.';
    return { kind: 'error', code, message };
  }
}
