// `check --batch FILE`: JSON lines of {from, to, guest?, id?} -> one JSON verdict per line, for
// orchestrators that gate many migrations at once. All lines are read and resolved before
// any verdict is printed, so a bad line leaves no partial output (exit 3, file:line:col).
import { readFileSync } from 'node:fs';
import { InputError, UsageError, type Diagnostic } from '../profile/diagnostics.js';
import { displayPath } from '../profile/load.js';
import type { Resolver } from '../profile/resolve.js';
import type { GuestModel, HostModel } from '../model.js';

export interface BatchItem {
  readonly line: number;
  readonly id?: string | number;
  readonly from: HostModel;
  readonly to: HostModel;
  readonly guest: GuestModel;
}

const MAX_BATCH_BYTES = 16 << 20;

function readBatch(file: string, stdin: () => string): string {
  if (file === '-') return stdin();
  try {
    const text = readFileSync(file);
    if (text.length > MAX_BATCH_BYTES) throw new InputError([{ file: displayPath(file), line: 1, col: 1, path: '', message: `batch file is ${text.length} bytes; the limit is ${MAX_BATCH_BYTES}` }]);
    return text.toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function loadBatch(file: string, resolver: Resolver, stdin: () => string): BatchItem[] {
  const shown = file === '-' ? '(stdin)' : displayPath(file);
  const problems: Diagnostic[] = [];
  const items: BatchItem[] = [];
  const at = (line: number, col: number, path: string, message: string): Diagnostic => ({ file: shown, line, col, path, message });
  readBatch(file, stdin)
    .split('\n')
    .forEach((text, i) => {
      const line = i + 1;
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
      if (unknown.length) return void problems.push(at(line, text.indexOf(`"${unknown[0]}"`) + 1, unknown[0]!, `unknown key '${unknown[0]}' (from, to, guest, id)`));
      for (const k of ['from', 'to'] as const) if (typeof rec[k] !== 'string') return void problems.push(at(line, 1, k, `'${k}' must be a host profile file or name`));
      if (rec.guest !== undefined && typeof rec.guest !== 'string') return void problems.push(at(line, text.indexOf('"guest"') + 1, 'guest', "'guest' must be a guest profile file, name or \"default\""));
      // a reference that names nothing is this line's problem; a broken profile is the profile's
      const resolve = <T>(key: string, f: () => T): T | undefined => {
        try {
          return f();
        } catch (err) {
          if (!(err instanceof UsageError)) throw err;
          problems.push(at(line, text.indexOf(`"${key}"`) + 1, key, err.message));
          return undefined;
        }
      };
      const from = resolve('from', () => resolver.host(rec.from as string));
      const to = resolve('to', () => resolver.host(rec.to as string));
      const guest = resolve('guest', () => resolver.guest((rec.guest as string | undefined) ?? 'default'));
      if (from && to && guest) items.push({ line, ...(rec.id !== undefined ? { id: rec.id as string | number } : {}), from, to, guest });
    });
  if (problems.length) throw new InputError(problems);
  return items;
}
