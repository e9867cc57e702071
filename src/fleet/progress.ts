// Long fleet runs report progress through this callback; the CLI draws it on a TTY.
export interface Progress {
  /** a new phase of `total` steps */
  start(label: string, total: number): void;
  /** `n` more steps done */
  tick(n?: number): void;
  done(): void;
}

export const silent: Progress = { start() {}, tick() {}, done() {} };
