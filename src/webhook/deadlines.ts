// Per-request timeouts without a timer per request. Every review gets the same timeout, so deadlines
// arrive in the order they were set: a FIFO with one timer armed for its head does the work of
// thousands of setTimeout/clearTimeout pairs (which showed up in profiles at a few thousand reviews/s).
export interface Deadline {
  /** The work finished in time: the deadline will not fire. */
  cancel(): void;
}

interface Entry extends Deadline {
  readonly due: number;
  readonly fire: () => void;
  live: boolean;
}

export class Deadlines {
  private readonly queue: Entry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Calls `fire` once `timeoutMs` has passed, unless cancelled first. */
  add(fire: () => void): Deadline {
    const entry: Entry = {
      due: this.now() + this.timeoutMs,
      fire,
      live: true,
      cancel: () => {
        entry.live = false;
        this.dropFinishedHead();
      },
    };
    this.queue.push(entry);
    if (this.timer === undefined) this.arm(entry.due);
    return entry;
  }

  /** Pending deadlines (cancelled ones are dropped lazily). */
  size(): number {
    return this.queue.length - this.head;
  }

  /** Stops the timer; pending deadlines never fire. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.head = 0;
  }

  /** Reviews mostly finish in arrival order: forgetting finished ones at the head keeps the queue short. */
  private dropFinishedHead(): void {
    while (this.head < this.queue.length && this.queue[this.head]?.live === false) this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(due: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(0, due - this.now()));
    // The server's own handles keep the process alive; a pending deadline must not.
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head];
      if (entry === undefined) break;
      if (entry.live && entry.due > now) break;
      this.head++;
      if (entry.live) {
        entry.live = false;
        entry.fire();
      }
    }
    this.dropFinishedHead();
    const next = this.queue[this.head];
    if (next !== undefined) this.arm(next.due);
  }
}
