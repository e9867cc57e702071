// Every input read ends: bounded by the bytes actually read (stat().size is 0 for FIFOs,
// devices and procfs, so it cannot be trusted), and bounded in time when the input is a
// pipe or FIFO whose writer is silent. Opened non-blocking so a FIFO with no writer reads
// as empty instead of blocking in open().
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

type ReadProblem = 'too-big' | 'timeout' | 'directory' | 'unreadable';

/** Why an input could not be read; callers turn it into a located diagnostic. */
export class ReadRefused extends Error {
  constructor(
    readonly problem: ReadProblem,
    message: string,
    readonly code?: string,
    /** too-big: the size of a regular file (stat is exact for those); unknown for pipes, devices, procfs */
    readonly size?: number,
  ) {
    super(message);
  }
}

interface ReadLimits {
  /** more bytes than this is refused (the input is not read to its end) */
  readonly maxBytes: number;
  /** how long a pipe may stay silent before the read gives up */
  readonly idleMs?: number;
}

/** How long a silent pipe is waited for by default; MIGCHECK_READ_IDLE_MS overrides it (tests). */
export const defaultIdleMs = (): number => {
  const v = Number(process.env.MIGCHECK_READ_IDLE_MS);
  return Number.isFinite(v) && v > 0 ? v : 10_000;
};

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

const describeCode = (code: string | undefined): string =>
  code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a parent is not a directory' : String(code);

/**
 * Read a file (or an already open descriptor, e.g. 0 for stdin) to its end, refusing it as
 * soon as more than `maxBytes` bytes have been read. Throws ReadRefused.
 */
export function readBounded(input: string | number, limits: ReadLimits): Buffer {
  let fd: number;
  let own = typeof input !== 'number';
  if (typeof input === 'number') {
    fd = input;
    // an inherited pipe (stdin) is blocking: its silent writer would never let the idle bound
    // fire. Opened again through /proc it is non-blocking for this reader alone.
    try {
      if (fstatSync(input).isFIFO()) {
        fd = openSync(`/proc/self/fd/${input}`, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
        own = true;
      }
    } catch {
      fd = input; // no /proc: read it as it is
    }
  } else {
    try {
      fd = openSync(input, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ReadRefused(code === 'EISDIR' ? 'directory' : 'unreadable', `cannot read: ${describeCode(code)}`, code);
    }
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ReadRefused('directory', 'cannot read: is a directory', 'EISDIR');
    // a regular file's size is exact: refuse it without reading; anything else is bounded below
    if (st.isFile() && st.size > limits.maxBytes) throw new ReadRefused('too-big', `${st.size} bytes, more than ${limits.maxBytes}`, undefined, st.size);
    // read from the environment only when a pipe is silent (a fleet opens 200 files)
    let idleMs: number | undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    let idle = 0;
    let wait = 1;
    // a regular file in one read of its size (+1 to see it end), not 64 KiB pieces joined
    let first = st.isFile() && st.size > 0 ? st.size + 1 : 1 << 16;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(first, limits.maxBytes + 1 - total));
      first = 1 << 16;
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          idleMs ??= limits.idleMs ?? defaultIdleMs();
          if (idle >= idleMs) throw new ReadRefused('timeout', `cannot read: no data for ${+(idleMs / 1000).toFixed(1)} s (a pipe or FIFO with a silent writer?)`, code);
          sleep(wait);
          idle += wait;
          wait = Math.min(wait * 2, 50);
          continue;
        }
        if (code === 'EISDIR') throw new ReadRefused('directory', 'cannot read: is a directory', code);
        throw new ReadRefused('unreadable', `cannot read: ${describeCode(code)}`, code);
      }
      if (n === 0) break;
      idle = 0;
      wait = 1;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limits.maxBytes) throw new ReadRefused('too-big', `more than ${limits.maxBytes} bytes`, undefined, st.isFile() && st.size >= total ? st.size : undefined); // procfs: size 0
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    if (own) closeSync(fd);
  }
}
