// `check --batch FILE`: JSON lines of {from, to, guest?, id?} -> one JSON verdict per line, for
// orchestrators that gate many migrations at once. All lines are read and resolved before
// any verdict is printed, so a bad line leaves no partial output (exit 3, file:line:col).
// The input (a file, a FIFO or stdin) is read bounded: MAX_BATCH_BYTES, and a silent pipe
// is given up after a bounded wait.
import { InputError, UsageError, clip, type Diagnostic } from '../profile/diagnostics.js';
import { displayPath } from '../profile/load.js';
import { ReadRefused, readBounded } from '../profile/read-bounded.js';
import type { Resolver } from '../profile/resolve.js';
import { isInline } from '../profile/inline.js';
import type { GuestModel, HostModel } from '../model.js';

interface BatchItem {
  readonly line: number;
  readonly id?: string | number;
  readonly from: HostModel;
  readonly to: HostModel;
  readonly guest: GuestModel;
}

/** the origin inline profiles of a batch line are resolved under, before they are located in the line */
const INLINE = '(batch line)';

/** 16 MB: some 100,000 lines of pairs, as much as a fleet file may hold */
const MAX_BATCH_BYTES = 16 << 20;

function readBatch(file: string, shown: string): string {
  try {
    return readBounded(file === '-' ? 0 : file, { maxBytes: MAX_BATCH_BYTES }).toString('utf8');
  } catch (err) {
    if (!(err instanceof ReadRefused)) throw err;
    const message = err.problem === 'too-big' ? `batch input is ${err.size ?? `more than ${MAX_BATCH_BYTES}`} bytes; the limit is ${MAX_BATCH_BYTES}` : err.message;
    throw new InputError([{ file: shown, line: 1, col: 1, path: '', message }]);
  }
}

export function loadBatch(file: string, resolver: Resolver): BatchItem[] {
  const shown = file === '-' ? '(stdin)' : displayPath(file);
  const problems: Diagnostic[] = [];
  const items: BatchItem[] = [];
  const at = (line: number, col: number, path: string, message: string): Diagnostic => ({ file: shown, line, col, path, message });
  // one resolution per distinct reference: a name on 100,000 lines is looked up (and its
  // problem worded) once
  const hosts = new Map<string, HostModel | UsageError>();
  const guests = new Map<string, GuestModel | UsageError>();
  const memo = <T>(cache: Map<string, T | UsageError>, ref: string, f: () => T): T => {
    let v = cache.get(ref);
    if (v === undefined) {
      try {
        v = f();
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        v = err;
      }
      cache.set(ref, v);
    }
    if (v instanceof UsageError) throw v;
    return v;
  };
  readBatch(file, shown)
    .split('\n')
    .forEach((raw, i) => {
      const line = i + 1;
      // a byte-order mark (editors on Windows write one) is not part of the JSON
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (!text.trim()) return;
      let o: unknown;
      try {
        o = JSON.parse(text);
      } catch (err) {
        const pos = /position (\d+)/.exec((err as Error).message)?.[1];
        problems.push(at(line, pos ? Number(pos) + 1 : 1, '', `not JSON: ${(err as Error).message}`));
        return;
      }
      if (!o || typeof o !== 'object' || Array.isArray(o)) return void problems.push(at(line, 1, '', 'expected an object {"from": ..., "to": ..., "guest": ...}'));
      const rec = o as Record<string, unknown>;
      const unknown = Object.keys(rec).filter((k) => !['from', 'to', 'guest', 'id'].includes(k));
      if (unknown.length) return void problems.push(at(line, text.indexOf(`"${unknown[0]}"`) + 1, clip(unknown[0]!), `unknown key '${clip(unknown[0]!)}' (from, to, guest, id)`));
      for (const k of ['from', 'to'] as const) if (typeof rec[k] !== 'string') return void problems.push(at(line, 1, k, `'${k}' must be a host profile file or name`));
      if (rec.guest !== undefined && typeof rec.guest !== 'string') return void problems.push(at(line, text.indexOf('"guest"') + 1, 'guest', "'guest' must be a guest profile file, name or \"default\""));
      // a reference that names nothing is this line's problem; a broken profile is the profile's
      const resolve = <T>(key: string, f: () => T): T | undefined => {
        try {
          return f();
        } catch (err) {
          // an inline profile's problems are this line's, at their column inside the JSON string
          const value = rec[key] ?? 'default';
          if (err instanceof InputError && typeof value === 'string' && isInline(value) && err.diagnostics.every((d) => d.file === INLINE)) {
            const quoted = text.indexOf(JSON.stringify(value));
            for (const d of err.diagnostics) problems.push(at(line, quoted < 0 ? text.indexOf(`"${key}"`) + 1 : quoted + 1 + d.col, d.path ? `${key}.${d.path}` : key, d.message));
            return undefined;
          }
          if (!(err instanceof UsageError)) throw err;
          problems.push(at(line, text.indexOf(`"${key}"`) + 1, key, err.message));
          return undefined;
        }
      };
      const from = resolve('from', () => memo(hosts, rec.from as string, () => resolver.host(rec.from as string, INLINE)));
      const to = resolve('to', () => memo(hosts, rec.to as string, () => resolver.host(rec.to as string, INLINE)));
      const g = (rec.guest as string | undefined) ?? 'default';
      const guest = resolve('guest', () => memo(guests, g, () => resolver.guest(g, INLINE)));
      if (from && to && guest) items.push({ line, ...(rec.id !== undefined ? { id: rec.id as string | number } : {}), from, to, guest });
    });
  if (problems.length) throw new InputError(problems);
  // a gate given nothing to check has not passed anything: a generator that wrote no lines is an error
  if (!items.length) throw new InputError([at(1, 1, '', 'no migrations to check: the batch has no lines ({"from", "to", "guest"?, "id"?} per line)')]);
  return items;
}
