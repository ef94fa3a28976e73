import { clearLine, cursorTo, type Interface } from 'node:readline';

/**
 * Where log lines go while the terminal REPL runs: straight to stderr until a prompt is on
 * screen; then a line clears the prompt, prints, and redraws the prompt with what the user
 * had typed, so a log line never lands after `papers> `.
 */
export class PromptSafeLog {
  private prompt: { rl: Interface; screen: NodeJS.WritableStream } | null = null;
  private showing = false;

  constructor(private readonly target: NodeJS.WritableStream) {}

  /** The REPL's readline and the stream its prompt is drawn on. */
  attach(rl: Interface, screen: NodeJS.WritableStream): void {
    this.prompt = { rl, screen };
  }

  detach(): void {
    this.prompt = null;
    this.showing = false;
  }

  /** The REPL says whether its prompt is on screen (it is not while a command runs). */
  promptShown(showing: boolean): void {
    this.showing = showing;
  }

  write(line: string): boolean {
    return this.writeAbovePrompt(this.target, line);
  }

  /** Writes `text` to `stream` (a log line, or a digest on stdout) above a prompt on screen. */
  writeAbovePrompt(stream: NodeJS.WritableStream, text: string): boolean {
    const prompt = this.showing ? this.prompt : null;
    if (!prompt) return stream.write(text);
    clearLine(prompt.screen, 0);
    cursorTo(prompt.screen, 0);
    const ok = stream.write(text);
    prompt.rl.prompt(true);
    return ok;
  }
}

/**
 * The log level in the terminal: a person at an interactive prompt sees warnings and
 * errors only, unless PAPERBOY_LOG_LEVEL asked for more (or less).
 */
export function terminalLogLevel(
  configured: string,
  options: { levelFromEnv: boolean; interactive: boolean },
): string {
  if (!options.interactive || options.levelFromEnv) return configured;
  const quietest = ['fatal', 'error', 'warn', 'silent'];
  return quietest.includes(configured) ? configured : 'warn';
}
