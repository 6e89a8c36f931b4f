// Time for the runner: the real clock, or a fake one that makes polling tests instant.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** Sleeping advances the fake time at once, so a 90 s poll finishes in microseconds. */
export class FakeClock implements Clock {
  private time: number;
  /** Every sleep, in order, so tests can see how the runner waited. */
  readonly sleeps: number[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    // Yield so concurrent fake work interleaves like it would with real timers.
    await Promise.resolve();
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
