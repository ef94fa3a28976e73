/**
 * Loop iterations let pass between two commands. Node (libuv ≥ 1.45) accepts at most one
 * new connection per listening socket per loop iteration, so with one command per
 * iteration a burst of 1,000 slash commands over HTTP was accepted at the commands' pace
 * (~80 a second) and Slack's acknowledgements came 5 s late. An idle iteration costs a few
 * microseconds; 32 of them let up to 32 waiting connections in per command.
 */
const ITERATIONS_BETWEEN_COMMANDS = 32;

/**
 * Lets commands start one at a time, in arrival order, with loop iterations between them.
 * A handler's store and search work is synchronous; 1,000 commands arriving together would
 * otherwise run back to back in one burst of microtasks, and the acknowledgements of the
 * commands behind them (Discord's defer, Slack's ack, new connections and interactions read
 * from the socket) would wait for all of it, past the platforms' 3 s. Between two commands
 * Node polls for I/O, so an acknowledgement waits for at most a few commands.
 */
export class CommandTurns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves when it is this caller's turn: in its own macrotask, after pending I/O. */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** Commands waiting for their turn (metrics, tests). */
  get queued(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    this.passIterations(ITERATIONS_BETWEEN_COMMANDS);
  }

  // An immediate queued from inside an immediate runs on the next loop iteration, after
  // the poll phase: each step below is one iteration, with I/O polled before it.
  private passIterations(left: number): void {
    setImmediate(() => {
      if (left > 1) {
        this.passIterations(left - 1);
        return;
      }
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
