// What a command gets: parsed options, the profile resolver and a way to emit its result.
import { Resolver } from '../profile/resolve.js';
import { UsageError } from '../profile/diagnostics.js';
import { displayPath } from '../profile/load.js';
import { PAINT_CODES, type Style } from '../render/style.js';
import { printableText } from '../profile/printable.js';
import type { Progress } from '../fleet/progress.js';
import { progressFor } from './progress.js';

import type { Format, Printable } from '../render/format.js';
import type { Rendered } from '../render/json-chunks.js';
export type { Format };

export interface Io {
  /** `pending`: bin/migcheck's fd writer, once it has handed the rest to the process's stream (EAGAIN) */
  readonly stdout: { write(s: string): unknown; readonly pending?: unknown };
  readonly stderr: { write(s: string): unknown };
  readonly stdoutIsTTY: boolean;
  /** progress is drawn only on a terminal */
  readonly stderrIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The width text is drawn for: COLUMNS, else the terminal's, else 80 (help and the fence grid alike). */
export function terminalWidth(env: Io['env'], ttyColumns: number | undefined): number {
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols > 0 ? cols : ttyColumns && ttyColumns > 0 ? ttyColumns : 80;
}

export interface GlobalArgs {
  format: Format;
  output?: string;
  profiles?: string[];
  quiet?: boolean;
  color?: boolean;
}

export class Context {
  readonly resolver: Resolver;
  readonly style: Style;
  readonly progress: Progress;
  /** what --output must not replace, besides the profiles the resolver opened */
  private readonly inputs: string[] = [];
  private readonly trees: string[] = [];
  constructor(
    readonly io: Io,
    readonly args: GlobalArgs,
  ) {
    // MIGCHECK_PROFILES=DIR:DIR, as PATH is written: searched after --profiles (the command line is the nearer word); empty parts are no directory
    const env = (io.env.MIGCHECK_PROFILES ?? '').split(':').filter(Boolean);
    this.resolver = new Resolver(args.profiles ?? [], env);
    const colorWanted = args.color ?? (io.stdoutIsTTY && !io.env.NO_COLOR);
    this.style = { color: Boolean(colorWanted) && !args.output };
    this.progress = progressFor(io.stderr, Boolean(io.stderrIsTTY), Boolean(args.quiet));
  }

  get format(): Format {
    return this.args.format;
  }

  /** the width wide text output folds to (a terminal's only when the text goes to it) */
  get columns(): number {
    return terminalWidth(this.io.env, this.io.stdoutIsTTY && !this.args.output ? (this.io.stdout as { columns?: number }).columns : undefined);
  }

  /** Render in the requested format (commands list the formats they offer) and emit. */
  async render(renderers: Partial<Record<Format, () => Rendered | Printable>>): Promise<void> {
    const r = renderers[this.format];
    if (!r) throw new UsageError(`--format ${this.format} is not offered by this command (choose ${Object.keys(renderers).join(', ')})`);
    const out = r();
    await (typeof out === 'object' && 'printable' in out ? this.emit(out.printable, true) : this.emit(out));
  }

  /**
   * What emit makes of text (and a renderer that escapes only the parts that may carry profile
   * text, Printable, of those parts): profile text is in the report, so no terminal control,
   * separator or bidi control passes; JSON and SARIF escape their own.
   */
  readonly printable = (text: string): string => (this.format !== 'json' && this.format !== 'sarif' ? printableText(text, this.style.color ? PAINT_CODES : undefined) : text);

  /** A file the command reads besides profiles (the resolver records those): --output may not replace it. */
  readsFile(path: string): void {
    this.inputs.push(path);
  }

  /** A directory the command reads from (probe --root): --output may not replace a file in it. */
  readsTree(dir: string): void {
    this.trees.push(dir);
  }

  /**
   * The command's result: to stdout, or to --output by the rules of write-output.ts (never over an
   * input). A result in pieces (a fleet matrix's JSON) is written piece by piece, each made as it
   * is written; a renderer cuts its pieces where no escape below can span two.
   */
  async emit(rendered: Rendered, verbatim = false): Promise<void> {
    const clean = verbatim ? (s: string) => s : this.printable;
    const text = typeof rendered === 'string' ? clean(rendered) : mapped(rendered, clean);
    const out = this.args.output;
    // `-o -` is stdout, as for most tools that take an output file
    if (!out || out === '-') {
      if (typeof text === 'string') this.io.stdout.write(text);
      else
        for (const piece of text) {
          this.io.stdout.write(piece);
          const wait = drained(this.io.stdout);
          if (wait) await wait;
        }
      return;
    }
    // loaded for -o only: it brings node:crypto, node:os and timers the gate has no use for
    const { WriteFailed, inputAt, writeOutput } = await import('./write-output.js');
    const input = inputAt(out, [...this.resolver.openedFiles(), ...this.inputs], this.trees);
    if (input?.tree) throw new UsageError(`cannot write ${out}: it is a file in ${displayPath(input.path)}, which this command reads; choose a file outside it`);
    if (input) throw new UsageError(`cannot write ${out}: it is ${displayPath(input.path) === displayPath(out) ? 'an input' : `${displayPath(input.path)}, an input`} of this command; choose another file`);
    try {
      await writeOutput(out, text);
    } catch (err) {
      if (err instanceof WriteFailed) throw new UsageError(`cannot write ${out}: ${err.message}`);
      throw err;
    }
  }
}

/**
 * When stdout is a stream holding more than its high-water mark (a terminal, or a slow
 * non-blocking pipe after EAGAIN): the moment it has drained, or ended. A report in pieces then
 * waits instead of queueing the rest of itself (hundreds of MB) in memory.
 */
function drained(out: Io['stdout']): Promise<void> | undefined {
  const s = ('pending' in out ? out.pending : out) as { writableNeedDrain?: boolean; destroyed?: boolean; once?: unknown; off?: unknown } | undefined;
  if (!s?.writableNeedDrain || s.destroyed || typeof s.once !== 'function') return undefined;
  const w = s as NodeJS.WritableStream;
  return new Promise((done) => {
    const end = () => {
      for (const e of ['drain', 'close', 'error']) w.off(e, end);
      done();
    };
    for (const e of ['drain', 'close', 'error']) w.once(e, end);
  });
}

function* mapped(pieces: Iterable<string>, f: (s: string) => string): Generator<string> {
  for (const p of pieces) yield f(p);
}

export interface Command<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  readonly options?: Record<string, import('yargs').Options>;
  readonly positional?: Record<string, import('yargs').PositionalOptions>;
  /** typed as they are, shown under Examples in help and the man page */
  readonly examples?: readonly string[];
  /** report commands also render --format html */
  readonly html?: true;
  /** JUnit XML (check --batch, validate, a report's --fail-on result) */
  readonly junit?: true;
  /** SARIF 2.1.0 (validate) */
  readonly sarif?: true;
  /** a scheduler's inputs: kubectl node labels, OpenStack Placement traits (pools) */
  readonly scheduler?: true;
  run(args: A & GlobalArgs, ctx: Context): number | Promise<number>;
}
