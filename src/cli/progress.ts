// Progress for long fleet runs, drawn on stderr only when it is a TTY (and not --quiet):
// one line rewritten in place, first drawn after `delayMs` so quick runs stay silent.
import type { Progress } from '../fleet/progress.js';
import { silent } from '../fleet/progress.js';

export function ttyProgress(write: (s: string) => unknown, delayMs = 400, now = () => Date.now()): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let began = 0;
  let last = 0;
  let drawn = false;
  const draw = () => {
    const pct = total ? Math.floor((done / total) * 100) : 0;
    write(`\r\u001b[Kmigcheck: ${label} ${done}/${total} (${pct}%)`);
    drawn = true;
  };
  return {
    start(l, t) {
      [label, total, done, began, last] = [l, t, 0, now(), 0];
    },
    tick(n = 1) {
      done += n;
      const t = now();
      if (t - began >= delayMs && t - last >= 100) {
        last = t;
        draw();
      }
    },
    done() {
      if (drawn) write('\r\u001b[K');
      drawn = false;
    },
  };
}

export const progressFor = (stderr: { write(s: string): unknown }, isTTY: boolean, quiet: boolean): Progress =>
  isTTY && !quiet ? ttyProgress((s) => stderr.write(s)) : silent;
