// What a command gets: parsed options, the profile resolver and a way to emit its result.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Resolver } from '../profile/resolve.js';
import { UsageError } from '../profile/diagnostics.js';
import type { Style } from '../render/style.js';
import type { Progress } from '../fleet/progress.js';
import { progressFor } from './progress.js';

export type Format = 'text' | 'json' | 'markdown' | 'html';

export interface Io {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  readonly stdoutIsTTY: boolean;
  /** progress is drawn only on a terminal */
  readonly stderrIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
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
  constructor(
    readonly io: Io,
    readonly args: GlobalArgs,
  ) {
    this.resolver = new Resolver(args.profiles ?? []);
    const colorWanted = args.color ?? (io.stdoutIsTTY && !io.env.NO_COLOR);
    this.style = { color: Boolean(colorWanted) && !args.output };
    this.progress = progressFor(io.stderr, Boolean(io.stderrIsTTY), Boolean(args.quiet));
  }

  get format(): Format {
    return this.args.format;
  }

  /** Render in the requested format (commands list the formats they offer) and emit. */
  render(renderers: Partial<Record<Format, () => string>>): void {
    const r = renderers[this.format];
    if (!r) throw new UsageError(`--format ${this.format} is not offered by this command (choose ${Object.keys(renderers).join(', ')})`);
    this.emit(r());
  }

  /** The command's result: to stdout, or atomically to --output (temp file + rename). */
  emit(text: string): void {
    const out = this.args.output;
    if (!out) {
      this.io.stdout.write(text);
      return;
    }
    const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, out);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        /* nothing was written */
      }
      throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}

export interface Command<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  readonly options?: Record<string, import('yargs').Options>;
  readonly positional?: Record<string, import('yargs').PositionalOptions>;
  /** report commands also render --format html */
  readonly html?: true;
  run(args: A & GlobalArgs, ctx: Context): number | Promise<number>;
}
