// The files a probe reads, from the running system (/) or from a captured tree (--root).
// A captured tree is untrusted input: every path must stay inside it (symlinks included),
// every file must be a regular file, and every read is bounded (src/profile/read-bounded.ts).
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ReadRefused, readBounded } from '../profile/read-bounded.js';
import { UNPRINTABLE } from '../profile/printable.js';

/** Where a refused capture is wrong: a file of the tree, 1-based line and column. */
interface ProbeLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** a key path inside a structured capture (capture/kvm-probe.json) */
  readonly path?: string;
}

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly at?: ProbeLocation,
  ) {
    super(message);
  }
}

/**
 * Byte caps, by what a real host holds (with a wide margin; a bigger file is not a capture):
 * a sysfs attribute is at most one page (4-64 KiB on arm64) and the longest procfs value read,
 * /proc/cmdline, is COMMAND_LINE_SIZE (2 KiB on arm64); a distribution kernel config is
 * 150-300 KB (Ubuntu arm64: ~290 KB), its /proc/config.gz ~60 KB.
 */
export const CAPS = {
  value: 64 << 10,
  config: 4 << 20,
  configGz: 1 << 20,
  /** `qemu-system-aarch64 --version`: two lines */
  qemuVersion: 64 << 10,
  /** migcheck-kvm-probe's JSON: ~1000 register ids at most, ~10-40 KB */
  kvmProbe: 1 << 20,
} as const;

/** arm64 Linux supports at most 4096 CPUs (CONFIG_NR_CPUS range 2..4096). */
export const MAX_CPUS = 4096;


const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Line and column (1-based) of a character offset in a text. */
export function position(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: index - nl };
}

/**
 * Refuse free text that is not printable, located at the first offending character of
 * `text`, which starts at `offset` in `file`'s content `whole`.
 */
export const firstUnprintable = (text: string): number => text.search(UNPRINTABLE);

export function assertPrintable(text: string, what: string, file: string, whole = text, offset = 0): void {
  const bad = firstUnprintable(text);
  if (bad < 0) return;
  const { line, col } = position(whole, offset + bad);
  throw new ProbeError(`${what} has a control or non-text character (${codePoint(text[bad]!)}); a real host writes none`, { file, line, col });
}

const kindOf = (s: Stats) => (s.isFIFO() ? 'a FIFO' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : s.isSocket() ? 'a socket' : 'not a file');

export class HostTree {
  private realRoot?: string | null;

  constructor(readonly root: string) {}

  /** Where a host path is read from, as messages show it. */
  shown(path: string): string {
    return this.root === '/' ? path : join(this.root, path);
  }

  /** A refusal located in (the start of) a host path's file. */
  refuse(path: string, message: string, line = 1, col = 1): ProbeError {
    return new ProbeError(message, { file: this.shown(path), line, col });
  }

  /** The root with its symlinks resolved; null when it does not exist (every read then finds nothing). */
  private base(): string | null {
    if (this.realRoot === undefined) {
      try {
        this.realRoot = realpathSync(this.root);
      } catch {
        this.realRoot = null;
      }
    }
    return this.realRoot;
  }

  private inside(real: string): boolean {
    const b = this.base()!;
    return b === sep || real === b || real.startsWith(b + sep);
  }

  /**
   * The real path of a host path, refused (located) when it resolves outside the tree;
   * undefined when it does not exist. Paths are built by the probe from validated parts, so
   * only symlinks can lead out.
   */
  private resolvePath(path: string): string | undefined {
    if (path.split('/').includes('..')) throw this.refuse(path, "a path with '..' in it");
    if (this.base() === null) return undefined;
    const full = join(this.root, path);
    const outside = (where: string) => {
      let link: string | undefined;
      try {
        if (lstatSync(full).isSymbolicLink()) link = readlinkSync(full);
      } catch {
        // a parent is the symlink
      }
      return this.refuse(path, `${link !== undefined ? `a symlink to ${link}` : `resolves through a symlink to ${where}`}, outside the captured tree`);
    };
    let real: string;
    try {
      real = realpathSync(full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw this.refuse(path, 'a symlink loop');
      // a dangling symlink that points out of the tree is refused like one whose target exists
      try {
        if (lstatSync(full).isSymbolicLink()) {
          const target = resolve(realpathSync(dirname(full)), readlinkSync(full));
          if (!this.inside(target)) throw outside(target);
        }
      } catch (inner) {
        if (inner instanceof ProbeError) throw inner;
      }
      return undefined;
    }
    if (!this.inside(real)) throw outside(real);
    return real;
  }

  /** The bytes of a regular file, at most `maxBytes`; undefined when it is missing or unreadable. */
  readBytes(path: string, maxBytes: number): Buffer | undefined {
    const real = this.resolvePath(path);
    if (real === undefined) return undefined;
    let fd: number;
    try {
      // non-blocking: a FIFO with no writer must not block open(); no-follow: the last
      // component was just resolved, a symlink planted since is not followed
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | constants.O_NOFOLLOW);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw this.refuse(path, 'replaced by a symlink while being read');
      return undefined;
    }
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) return undefined;
      if (!st.isFile()) throw this.refuse(path, `${kindOf(st)}, not a regular file; a capture holds copies of the host's files`);
      return readBounded(fd, { maxBytes });
    } catch (err) {
      if (!(err instanceof ReadRefused)) throw err;
      if (err.problem === 'too-big') throw this.refuse(path, `more than ${maxBytes} bytes; the host file it captures is smaller`);
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** Text of a file; `.gz` files are inflated, to at most `maxBytes` (of `compressed` read). */
  read(path: string, maxBytes: number = CAPS.value, compressed: number = CAPS.configGz): string | undefined {
    if (!path.endsWith('.gz')) return this.readBytes(path, maxBytes)?.toString('utf8');
    const raw = this.readBytes(path, compressed);
    if (raw === undefined) return undefined;
    try {
      // bounded: inflation stops as soon as the output passes the cap
      return gunzipSync(raw, { maxOutputLength: maxBytes }).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw this.refuse(path, `inflates to more than ${maxBytes} bytes; a kernel config is far smaller`);
      throw this.refuse(path, `not gzip data (${(err as Error).message})`);
    }
  }

  /** First line, trimmed (sysfs and procfs values); refused when it holds control characters. */
  line(path: string): string | undefined {
    const text = this.read(path);
    if (text === undefined) return undefined;
    const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
    assertPrintable(first, 'the value', this.shown(path), text);
    return first.trim();
  }

  list(dir: string): string[] {
    const real = this.resolvePath(dir);
    if (real === undefined) return [];
    try {
      return readdirSync(real);
    } catch {
      return [];
    }
  }
}
