import {
  createSlackAdapter,
  type SlackAdapter,
} from '../../../src/adapters/slack/slack-adapter.js';
import { type Bot, type CreateBotOptions, createBot } from '../../../src/app.js';
import type { Reply } from '../../../src/commands/reply.js';
import type { CommandCall } from '../../../src/commands/spec.js';
import type { Config } from '../../../src/config.js';
import { type Clock, manualClock } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/core/logger.js';
import type { FakeSlack } from '../../fakes/slack/fake-slack.js';
import {
  blockActionBody,
  blockActionPayload,
  nextTriggerId,
  type SignedPostResult,
  signedPost,
  slashCommandBody,
  slashCommandPayload,
} from '../../fakes/slack/signed-request.js';
import { testConfig } from './harness.js';
import { buttonsOf, type LooseBlock } from './loose-blocks.js';

export const BOT_TOKEN = 'xoxb-e2e-secret-token';
export const APP_TOKEN = 'xapp-e2e-secret-token';
export const SIGNING_SECRET = 'e2e-signing-secret';

export type Mode = 'http' | 'socket';

export interface Asked {
  /** What respond() posted to the response_url. */
  body: Record<string, unknown>;
  /** HTTP status of the signed POST (HTTP mode). */
  status?: number;
  envelopeId?: string;
}

export interface UserOptions {
  teamId?: string;
  userId?: string;
  channelId?: string;
}

let responseCounter = 0;

/** A whole bot in memory behind the real Bolt, talking to the fake Slack. */
export class SlackBotUnderTest {
  adapter: SlackAdapter;
  /** Every reply the adapter rendered, in order, with the call that made it. */
  readonly seen: Array<{ call: CommandCall | null; reply: Reply }> = [];

  constructor(
    readonly mode: Mode,
    readonly fake: FakeSlack,
    readonly bot: Bot,
    readonly config: Config,
    readonly logger: Logger,
  ) {
    this.adapter = this.build();
  }

  build(): SlackAdapter {
    return createSlackAdapter({
      secrets: {
        botToken: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        appToken: this.mode === 'socket' ? APP_TOKEN : null,
        apiUrl: this.fake.apiUrl,
        port: 0,
      },
      bot: this.bot,
      config: this.config,
      clock: this.bot.clock,
      logger: this.logger,
      host: '127.0.0.1',
      wait: async () => undefined,
      // Reconnects after a dropped socket within a fraction of a second, not 5 s.
      socketPingTimeoutMs: 300,
      onReply: (call, reply) => this.seen.push({ call, reply }),
    });
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.adapter.port}/slack/events`;
  }

  async start(): Promise<void> {
    await this.adapter.start();
  }

  /** Stops and starts a fresh adapter over the same store: a process restart. */
  async restart(): Promise<void> {
    await this.adapter.stop();
    this.adapter = this.build();
    await this.adapter.start();
  }

  /** Delivers `/papers <text>` as Slack would and waits for the answer at the response_url. */
  async command(text: string, user: UserOptions = {}, envelopeId?: string): Promise<Asked> {
    responseCounter += 1;
    const id = `cmd-${responseCounter}`;
    const fields = { text, responseUrl: this.fake.responseUrl(id), ...user };
    const asked = await this.deliver(
      () => slashCommandBody(fields),
      () => slashCommandPayload(fields),
      'slash_commands',
      envelopeId,
    );
    const response = await this.fake.waitFor(
      () => this.fake.responsesTo(id)[0],
      5000,
      `answer to "${text}"`,
    );
    return { ...asked, body: response.body };
  }

  /** Presses a button from an earlier answer and waits for the answer it causes. */
  async press(actionId: string, value: string, user: UserOptions = {}): Promise<Asked> {
    responseCounter += 1;
    const id = `act-${responseCounter}`;
    const fields = {
      actionId,
      value,
      responseUrl: this.fake.responseUrl(id),
      triggerId: nextTriggerId(),
      ...user,
    };
    const asked = await this.deliver(
      () => blockActionBody(fields),
      () => blockActionPayload(fields),
      'interactive',
    );
    const response = await this.fake.waitFor(
      () => this.fake.responsesTo(id)[0],
      5000,
      `answer to ${actionId}`,
    );
    return { ...asked, body: response.body };
  }

  private async deliver(
    form: () => string,
    payload: () => Record<string, unknown>,
    type: string,
    envelopeId?: string,
  ): Promise<Omit<Asked, 'body'>> {
    if (this.mode === 'http') {
      const res: SignedPostResult = await signedPost({
        url: this.eventsUrl,
        signingSecret: SIGNING_SECRET,
        body: form(),
      });
      if (res.status !== 200) throw new Error(`Bolt answered ${res.status}`);
      return { status: res.status };
    }
    const id = this.fake.socket.send(type, payload(), envelopeId);
    await this.fake.waitFor(() => this.fake.socket.acksFor(id)[0], 5000, `ack of ${id}`);
    return { envelopeId: id };
  }

  async stop(): Promise<void> {
    await this.adapter.stop();
  }
}

/** One bot per test file (building the search takes a moment); adapters per test. */
export async function createTestBot(
  logger: Logger,
  options: {
    config?: Config;
    clock?: Clock;
    arxivLookup?: CreateBotOptions['arxivLookup'];
  } = {},
): Promise<{ bot: Bot; config: Config }> {
  const config = options.config ?? testConfig();
  const clock = options.clock ?? manualClock('2025-12-12T12:00:00Z');
  const lookup = options.arxivLookup ? { arxivLookup: options.arxivLookup } : {};
  return {
    bot: await createBot({ config, clock, logger, dataDir: ':memory:', ...lookup }),
    config,
  };
}

/** Starts a Slack adapter in `mode` over a shared bot; `logger` is the adapter's. */
export async function startSlackBot(
  mode: Mode,
  fake: FakeSlack,
  shared: { bot: Bot; config: Config },
  logger: Logger,
): Promise<SlackBotUnderTest> {
  const under = new SlackBotUnderTest(mode, fake, shared.bot, shared.config, logger);
  await under.start();
  return under;
}

let channelCounter = 0;

/** A fresh channel id, so tests sharing a bot never see each other's subscriptions. */
export function freshChannel(): string {
  channelCounter += 1;
  return `CT${String(channelCounter).padStart(4, '0')}`;
}

/** All the text of a Slack message body (fallback text and blocks), for assertions. */
export function textOf(body: Record<string, unknown>): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}

/** The value of the button with this action id in a Slack message body. */
export function buttonValue(body: Record<string, unknown>, actionId: string): string | undefined {
  for (const block of (body.blocks ?? []) as LooseBlock[]) {
    for (const element of buttonsOf(block))
      if (element.action_id === actionId) return element.value;
  }
  return undefined;
}
