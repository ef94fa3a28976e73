/**
 * Lets commands start one per turn of the event loop, in arrival order. A handler's store
 * and search work is synchronous; 1,000 commands arriving together would otherwise run
 * back to back in one burst of microtasks, and the acknowledgements of the commands behind
 * them (Discord's defer, Slack's ack, new interactions read from the socket) would wait
 * for all of it, past the platforms' 3 s. Between two turns Node polls for I/O, so an
 * acknowledgement waits for at most a few commands, not for every one queued before it.
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
    // An immediate queued from inside an immediate runs on the next loop iteration, after
    // the poll phase: exactly one turn per iteration.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
