// --output FILE without destroying what the name stands for: a regular file is replaced
// atomically (temp file beside it + rename) keeping its mode and owner; a symlink keeps
// pointing where it did and its final target is what gets replaced; a device or FIFO is
// written in place; an input of the command is never overwritten. Temp files are created
// exclusively under a random name, and removed on failure and on SIGINT/SIGTERM/SIGHUP.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants as fsc,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  write as fsWrite,
  type Stats,
} from 'node:fs';
import { constants as osc } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { defaultIdleMs } from '../profile/read-bounded.js';

const errno = (code: string, why: string) => Object.assign(new Error(why), { code, why });
const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code;

/**
 * Where writing to `path` really lands: symlinks followed to their final target (which
 * may not exist yet), each link resolved in the real directory that holds it.
 */
function finalTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops <= 40; hops++) {
    // a missing directory is ENOENT here, as it was for the write itself
    p = join(realpathSync(dirname(resolve(p))), basename(p));
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch (err) {
      if (codeOf(err) === 'ENOENT') return p;
      throw err;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw errno('ELOOP', 'too many levels of symbolic links');
}

/** The input `target` would overwrite (same device and inode, so symlinks, `./` and hard links count), if any. */
export function inputAt(target: string, files: Iterable<string>, trees: Iterable<string>): { path: string; tree: boolean } | undefined {
  let t: Stats;
  try {
    t = statSync(target);
  } catch {
    return undefined; // nothing there yet: no input is lost
  }
  for (const f of files) {
    try {
      const s = statSync(f);
      if (s.dev === t.dev && s.ino === t.ino) return { path: f, tree: false };
    } catch {
      /* an input that is gone cannot be overwritten */
    }
  }
  // a captured tree (probe --root): any existing file inside it is part of the capture
  for (const d of trees) {
    try {
      const root = realpathSync(d);
      if (realpathSync(target).startsWith(root.endsWith(sep) ? root : root + sep)) return { path: d, tree: true };
    } catch {
      /* no tree, nothing to protect */
    }
  }
  return undefined;
}

const CHUNK = 1 << 20;
const write = promisify(fsWrite);

/**
 * Write all of `buf` in chunks (signals are handled between them); a full non-blocking FIFO
 * or terminal is retried shortly, but a reader that takes nothing for as long as a silent
 * writer is waited for on input (MIGCHECK_READ_IDLE_MS) ends the write: never a hang.
 */
async function writeAll(fd: number, buf: Buffer): Promise<void> {
  const idleMs = defaultIdleMs();
  let wait = 1;
  let idle = 0;
  for (let off = 0; off < buf.length; ) {
    try {
      off += (await write(fd, buf, off, Math.min(CHUNK, buf.length - off))).bytesWritten;
      wait = 1;
      idle = 0;
    } catch (err) {
      if (codeOf(err) !== 'EAGAIN') throw err;
      if (idle >= idleMs) throw errno('EAGAIN', `the reader took nothing for ${+(idleMs / 1000).toFixed(1)} s`);
      await sleep(wait);
      idle += wait;
      wait = Math.min(wait * 2, 50);
    }
  }
}

/** An error of the renderer that makes the pieces (not of the write): passed on as it is. */
class NotTheWrite {
  constructor(readonly error: unknown) {}
}

/** The text, or its pieces one after another (each made only when the one before is written). */
async function writeText(fd: number, text: string | Iterable<string>): Promise<void> {
  if (typeof text === 'string') return writeAll(fd, Buffer.from(text, 'utf8'));
  const pieces = text[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = pieces.next();
    } catch (err) {
      throw new NotTheWrite(err);
    }
    if (next.done) return;
    await writeAll(fd, Buffer.from(next.value, 'utf8'));
  }
}

/** Until the returned function is called, a signal removes the temp file (if made) and exits 128+signal: the previous file is untouched. */
function removeOnSignal(made: () => string | undefined): () => void {
  const installed = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => {
    const handler = () => {
      const tmp = made();
      try {
        if (tmp) unlinkSync(tmp);
      } catch {
        /* already renamed or removed */
      }
      process.exit(128 + osc.signals[sig]);
    };
    process.on(sig, handler);
    return () => process.off(sig, handler);
  });
  return () => installed.forEach((off) => off());
}

/**
 * Create the temp file beside `target`: an unpredictable name, so nothing can be planted
 * there, and O_EXCL|O_NOFOLLOW, so a plant fails the open. Synchronous, so no signal
 * handler runs between the file appearing and the caller knowing its name.
 */
function createTemp(target: string, mode: number): { fd: number; tmp: string } {
  for (let tries = 0; ; tries++) {
    const tmp = join(dirname(target), `.${basename(target).slice(0, 200)}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { fd: openSync(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, mode), tmp };
    } catch (err) {
      if (codeOf(err) !== 'EEXIST' || tries >= 8) throw err;
    }
  }
}

/** Replace the regular file (or create the file) at `target` atomically. */
async function replace(target: string, text: string | Iterable<string>, old: Stats | undefined): Promise<void> {
  let made: { fd?: number; tmp: string } | undefined;
  const restore = removeOnSignal(() => made?.tmp);
  try {
    // a new file gets the mode the umask gives; an old one's mode (and owner) is restored before the rename
    made = createTemp(target, old ? 0o600 : 0o666);
    const fd = made.fd!;
    await writeText(fd, text);
    if (old) {
      const mine = fstatSync(fd);
      if (mine.uid !== old.uid || mine.gid !== old.gid) {
        try {
          fchownSync(fd, old.uid, old.gid);
        } catch (err) {
          if (codeOf(err) !== 'EPERM') throw err; // not ours to give away: kept where possible
        }
      }
      fchmodSync(fd, old.mode & 0o7777);
    }
    await promisify(fsync)(fd);
    closeSync(fd);
    made.fd = undefined;
    renameSync(made.tmp, target);
    made = undefined;
  } catch (err) {
    if (made?.fd !== undefined) closeSync(made.fd);
    if (made) rmSync(made.tmp, { force: true });
    throw err;
  } finally {
    // a signal that came during the last synchronous steps is dispatched before this runs: it still exits 128+signal
    setImmediate(restore);
  }
}

/** A write that could not be done; the message is what follows `cannot write FILE: `. */
export class WriteFailed extends Error {}

/** Write `text` (or its pieces, in order) to `path` by the rules above; a failure is a WriteFailed naming the errno code. */
export async function writeOutput(path: string, text: string | Iterable<string>): Promise<void> {
  try {
    await writeTo(path, text);
  } catch (err) {
    if (err instanceof NotTheWrite) throw err.error;
    const { code, why } = err as { code?: string; why?: string };
    throw new WriteFailed(code ? `${code}${why ? ` (${why})` : ''}` : (err as Error).message);
  }
}

/**
 * A name for a descriptor this process already holds (/dev/stdout, /dev/fd/N, /proc/self/fd/N):
 * it is written through that descriptor, as the shell opened it. Followed as a symlink it
 * would name a pipe that cannot be opened (`pipe:[N]`), or a file that `>>` appends to and a
 * rename would replace.
 */
function heldDescriptor(path: string): number | undefined {
  const m = /^\/(?:dev\/(stdout|stderr|stdin|fd\/(\d+))|proc\/(?:self|(\d+))\/fd\/(\d+))$/.exec(path);
  if (!m) return undefined;
  if (m[3] !== undefined && Number(m[3]) !== process.pid) return undefined;
  if (m[1] === 'stdout') return 1;
  if (m[1] === 'stderr') return 2;
  if (m[1] === 'stdin') return 0;
  return Number(m[2] ?? m[4]);
}

async function writeTo(path: string, text: string | Iterable<string>): Promise<void> {
  const held = heldDescriptor(path);
  if (held !== undefined) return writeText(held, text);
  const target = finalTarget(path);
  let st: Stats | undefined;
  try {
    st = statSync(target);
  } catch (err) {
    if (codeOf(err) !== 'ENOENT') throw err;
  }
  if (!st || st.isFile()) return replace(target, text, st);
  if (st.isDirectory()) throw errno('EISDIR', 'is a directory');
  // a device or FIFO is used, not replaced; non-blocking, so a FIFO nobody reads is ENXIO, not a hang
  let fd: number;
  try {
    fd = openSync(target, fsc.O_WRONLY | fsc.O_NONBLOCK | fsc.O_NOCTTY);
  } catch (err) {
    if (codeOf(err) === 'ENXIO' && st.isFIFO()) throw errno('ENXIO', 'a FIFO with no reader');
    throw err;
  }
  try {
    await writeText(fd, text);
  } finally {
    closeSync(fd);
  }
}

