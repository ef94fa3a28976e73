import type { App, BlockAction, ButtonAction, RespondArguments, RespondFn } from '@slack/bolt';
import type { CommandContext, CommandUser } from '../../commands/context.js';
import { faultReply, runCommand } from '../../commands/dispatch.js';
import { parseCommandText } from '../../commands/parse-text.js';
import type { Reply } from '../../commands/reply.js';
import { type CommandCall, findSubcommand } from '../../commands/spec.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { ActionCodec } from './action-values.js';
import type { ActionCall } from './blocks.js';
import type { ManagePolicy } from './manage-policy.js';
import type { RecentIds } from './recent-ids.js';
import { isEphemeral, renderReply } from './render-reply.js';
import { unescapeSlackText } from './slack-text.js';

/** What the Slack routes need of the bot (`createBot`'s result fits). */
export interface SlackBot {
  contextFor(channel: ChannelRef, user: CommandUser, managePermission: string): CommandContext;
}

export interface RouteDeps {
  bot: SlackBot;
  policy: ManagePolicy;
  codec: ActionCodec;
  seen: RecentIds;
  logger: Logger;
  /** Sees every reply before it is rendered (tests, metrics). */
  onReply?: (call: CommandCall | null, reply: Reply) => void;
}

interface Asker {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string;
}

function definedOptions(call: CommandCall): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(call.options)) if (v !== undefined) out[k] = v;
  return out;
}

async function execute(deps: RouteDeps, call: CommandCall, asker: Asker): Promise<Reply> {
  const manage = findSubcommand(call.name)?.manage === true;
  const canManageChannel = manage ? await deps.policy.canManage(asker.userId) : true;
  const channel: ChannelRef = {
    platform: 'slack',
    workspace: asker.teamId,
    channel: asker.channelId,
  };
  const user: CommandUser = { id: asker.userId, canManageChannel };
  if (asker.userName) user.name = asker.userName;
  return runCommand(call, deps.bot.contextFor(channel, user, deps.policy.managePermission));
}

function observe(deps: RouteDeps, call: CommandCall | null, reply: Reply): void {
  try {
    deps.onReply?.(call, reply);
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, 'reply observer failed');
  }
}

function message(deps: RouteDeps, reply: Reply, share?: ActionCall): RespondArguments {
  const rendered = renderReply(reply, {
    encode: deps.codec.encode,
    share: reply.kind === 'list' ? share : undefined,
  });
  return {
    response_type: isEphemeral(reply) ? 'ephemeral' : 'in_channel',
    text: rendered.text,
    blocks: rendered.blocks,
  };
}

async function answer(
  deps: RouteDeps,
  respond: RespondFn,
  body: RespondArguments,
  what: string,
): Promise<void> {
  let sent = body;
  try {
    // Button values too long for Slack, parked by the renderer, must exist before a click.
    await deps.codec.save();
  } catch (error) {
    // Without its parked values the message's buttons would not work: say what failed instead.
    sent = faultMessage(deps, error, what);
  }
  await send(deps, respond, sent, what);
}

async function send(
  deps: RouteDeps,
  respond: RespondFn,
  body: RespondArguments,
  what: string,
): Promise<void> {
  try {
    await respond(body);
  } catch (error) {
    // response_url expired (30 min, 5 uses) or Slack unreachable: nothing else to answer with.
    deps.logger.warn({ err: (error as Error).message, what }, 'Slack respond() failed');
  }
}

/** A store fault's own error reply (logged with its cause), privately, leaving the message be. */
function faultMessage(deps: RouteDeps, error: unknown, what: string): RespondArguments {
  const reply = faultReply(error, deps.logger, { what }, 'Slack answer failed');
  return { ...message(deps, reply), replace_original: false };
}

const internalError: Reply = {
  kind: 'error',
  code: 'INTERNAL',
  message: 'Something went wrong inside Paperboy; the error was logged.',
};

/** `/papers <text>` and the buttons Paperboy's messages carry. */
export function registerRoutes(app: App, deps: RouteDeps): void {
  app.command('/papers', async ({ command, ack, respond, context }) => {
    // Ack first, always: Slack redelivers an unacknowledged envelope.
    await ack();
    if (!deps.seen.firstTime(context.envelopeId as string | undefined, command.trigger_id)) {
      deps.logger.debug({ trigger: command.trigger_id }, 'duplicate /papers delivery ignored');
      return;
    }
    const asker: Asker = {
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      userName: command.user_name,
    };
    let reply: Reply;
    let share: ActionCall | undefined;
    let call: CommandCall | null = null;
    try {
      const parsed = parseCommandText(unescapeSlackText(command.text ?? ''));
      if ('kind' in parsed) reply = parsed;
      else {
        call = parsed;
        share = { command: parsed.name, options: definedOptions(parsed) };
        reply = await execute(deps, parsed, asker);
      }
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, '/papers failed');
      reply = internalError;
    }
    observe(deps, call, reply);
    await answer(deps, respond, message(deps, reply, share), 'command');
  });

  app.action<BlockAction<ButtonAction>>(
    /^papers_/,
    async ({ ack, body, action, respond, context }) => {
      await ack();
      if (
        !deps.seen.firstTime(
          context.envelopeId as string | undefined,
          `${body.trigger_id}:${action.action_id}`,
        )
      )
        return;
      let call: ActionCall | null;
      try {
        call = await deps.codec.decode(action.value ?? '');
      } catch (error) {
        // A parked value's store read failed: an error the user can act on, not silence.
        await send(deps, respond, faultMessage(deps, error, 'action'), 'action');
        return;
      }
      if (!call) {
        const expired: Reply = {
          kind: 'error',
          code: 'NOT_FOUND',
          message: 'This button has expired: run the command again.',
        };
        await answer(
          deps,
          respond,
          { ...message(deps, expired), replace_original: false },
          'action',
        );
        return;
      }
      const asker: Asker = {
        teamId: body.team?.id ?? body.user.team_id ?? '',
        channelId: body.channel?.id ?? body.container?.channel_id ?? '',
        userId: body.user.id,
        userName: body.user.name,
      };
      let reply: Reply;
      const commandCall: CommandCall = { name: call.command, options: call.options };
      try {
        reply = await execute(deps, commandCall, asker);
      } catch (error) {
        deps.logger.error({ err: (error as Error).message }, 'Slack button failed');
        reply = internalError;
      }
      observe(deps, commandCall, reply);
      if (action.action_id === 'papers_share') {
        // Same results, for everyone in the channel, without the share button.
        await answer(
          deps,
          respond,
          { ...message(deps, reply), response_type: 'in_channel', replace_original: false },
          'share',
        );
      } else if (action.action_id.startsWith('papers_page_')) {
        await answer(
          deps,
          respond,
          { ...message(deps, reply, call), replace_original: true },
          'page',
        );
      } else {
        await answer(
          deps,
          respond,
          { ...message(deps, reply, call), replace_original: false },
          'choose',
        );
      }
    },
  );
}
