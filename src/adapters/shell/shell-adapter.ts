import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { autocomplete } from '../../commands/autocomplete.js';
import type { CommandContext } from '../../commands/context.js';
import { runCommand } from '../../commands/dispatch.js';
import { parseCommandText } from '../../commands/parse-text.js';
import type { Reply } from '../../commands/reply.js';
import { PaperboyError } from '../../core/errors.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { Adapter, PostResult } from '../adapter.js';
import { completeLine } from './complete.js';
import type { PromptSafeLog } from './prompt-log.js';
import { renderText } from './render-text.js';

export interface ShellAdapterOptions {
  input: NodeJS.ReadableStream;
  /** Command output only; logs go elsewhere. */
  output: NodeJS.WritableStream;
  /** A person at a terminal: prompt, history, completion. Otherwise lines are read as a script. */
  interactive: boolean;
  color: boolean;
  /** The terminal channel's context (the user may always manage it). */
  context: () => CommandContext;
  /** Where interactive history is kept between runs; `null` keeps it in memory only. */
  historyFile?: string | null;
  width?: number;
  /** Log lines written while the prompt shows are printed above it (interactive only). */
  log?: PromptSafeLog;
}

const HISTORY_SIZE = 500;
const EXIT_WORDS = new Set(['exit', 'quit', '.exit']);

function sameChannel(a: ChannelRef, b: ChannelRef): boolean {
  return a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel;
}

function readHistory(file: string | null | undefined): string[] {
  if (!file) return [];
  try {
    // readline wants the newest entry first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return []; // No history yet (first run) is normal.
  }
}

/**
 * The terminal: typed (or piped) lines go through the same parser and dispatcher as
 * every platform; replies are rendered as text on `output`. `finished` resolves at
 * end of input (EOF, `exit`) or `stop()`.
 */
export class ShellAdapter implements Adapter {
  readonly platform = 'shell' as const;
  readonly finished: Promise<void>;
  private readonly options: ShellAdapterOptions;
  private rl: Interface | null = null;
  private resolveFinished: () => void = () => {};
  private written = 0;
  private readonly posted = new Map<string, string>();

  constructor(options: ShellAdapterOptions) {
    this.options = options;
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  /** Runs one line of text as a command. Never throws. */
  async runLine(text: string): Promise<Reply> {
    const call = parseCommandText(text);
    if ('kind' in call) return call;
    return runCommand(call, this.options.context());
  }

  async start(): Promise<void> {
    const { interactive } = this.options;
    const rl = createInterface({
      input: this.options.input,
      output: interactive ? this.options.output : undefined,
      terminal: interactive,
      historySize: HISTORY_SIZE,
      history: interactive ? readHistory(this.options.historyFile) : [],
      completer: interactive
        ? // readline's callback form: the values come from the store, which answers later.
          (line: string, done: (error: Error | null, result: [string[], string]) => void) => {
            completeLine(
              line,
              async (sub, option, prefix) =>
                await autocomplete(sub, option, prefix, this.options.context()),
            ).then(
              (result) => done(null, result),
              () => done(null, [[], line]),
            );
          }
        : undefined,
      prompt: 'papers> ',
    });
    this.rl = rl;
    if (interactive) this.options.log?.attach(rl, this.options.output);
    void this.loop(rl);
  }

  private async loop(rl: Interface): Promise<void> {
    const { interactive } = this.options;
    const prompt = () => {
      if (!interactive) return;
      rl.prompt();
      this.options.log?.promptShown(true);
    };
    try {
      prompt();
      for await (const raw of rl) {
        this.options.log?.promptShown(false);
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) {
          prompt();
          continue;
        }
        if (interactive && EXIT_WORDS.has(line.toLowerCase())) break;
        if (interactive) this.remember(line);
        this.write(await this.runLine(line));
        prompt();
      }
    } finally {
      this.options.log?.detach();
      rl.close();
      this.resolveFinished();
    }
  }

  private remember(line: string): void {
    if (!this.options.historyFile) return;
    try {
      appendFileSync(this.options.historyFile, `${line.replace(/\n/g, ' ')}\n`);
    } catch {
      this.options.historyFile = null; // An unwritable history file must not stop the prompt.
    }
  }

  private write(reply: Reply): void {
    const text = renderText(reply, { color: this.options.color, width: this.options.width });
    const block = `${this.written > 0 ? '\n' : ''}${text}\n`;
    // A digest arrives while the prompt may be on screen: print it above, as log lines are.
    if (this.options.log) this.options.log.writeAbovePrompt(this.options.output, block);
    else this.options.output.write(block);
    this.written++;
  }

  async stop(): Promise<void> {
    this.rl?.close();
    this.resolveFinished();
  }

  /** Digests for the terminal channel print like any reply. */
  async post(target: ChannelRef, reply: Reply): Promise<PostResult> {
    const channel = this.options.context().channel;
    if (!sameChannel(target, channel)) {
      throw new PaperboyError('CHANNEL_UNAVAILABLE', 'The terminal only posts to its own channel.');
    }
    this.write(reply);
    const messageId = `shell-${this.written}`;
    if (reply.kind === 'digest' && reply.deliveryId) this.posted.set(reply.deliveryId, messageId);
    return { messageIds: [messageId] };
  }

  /**
   * The terminal cannot read its own output back, so it only knows what it printed in this
   * run. A printed digest counts as delivered: delivery completes the ledger row right after
   * `post` returns, with no I/O in between (and writes to a file, pipe or terminal are
   * synchronous on Linux), so only a crash between those two statements can print a digest
   * twice after a restart. Platforms find their messages by delivery id instead.
   */
  async findDelivery(_target: ChannelRef, deliveryId: string): Promise<string | null> {
    return this.posted.get(deliveryId) ?? null;
  }
}
