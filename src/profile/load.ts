// Read one YAML profile: size cap, strict YAML 1.2 parse with positions, precompiled
// JSON Schema validation. Every problem becomes a file:line:col diagnostic.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as validators from '../generated/validators.cjs';
import { InputError, dottedPath, hint, type Diagnostic } from './diagnostics.js';
import { locate } from './locate.js';
import { workingDir } from './paths.js';
import { quickParse } from './quick-yaml.js';

export const MAX_PROFILE_BYTES = 1 << 20;
/** a fleet lists every host, so it may be larger than one profile */
export const MAX_FLEET_BYTES = 16 << 20;
export const KINDS = ['Host', 'Guest', 'Fleet'] as const;
export type Kind = (typeof KINDS)[number];
const validatorFor: Record<Kind, ValidateFunction> = { Host: validators.host, Guest: validators.guest, Fleet: validators.fleet };

export interface LoadedDocument {
  readonly file: string;
  readonly kind: Kind;
  readonly data: Record<string, unknown>;
  /** a diagnostic located at a JSON pointer inside this document */
  at(segs: readonly (string | number)[], message: string, preferKey?: boolean): Diagnostic;
}

function makeAt(file: string, doc: Document, lc: LineCounter) {
  return (segs: readonly (string | number)[], message: string, preferKey = false): Diagnostic => {
    const { line, col } = locate(doc, lc, segs.map(String), preferKey);
    return { file, line, col, path: dottedPath(segs), message };
  };
}

/** Paths in messages as the user would type them: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const cwd = workingDir();
  if (cwd === undefined) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

const describe = (v: unknown) => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const json = JSON.stringify(v);
  return `${typeof v} ${json.length > 60 ? `${json.slice(0, 57)}..."` : json}`;
};

/** Deepest nesting a profile may have: real ones are under 8; the YAML parser recurses per level. */
export const MAX_NESTING = 64;

/**
 * Input no parser should see: binary content (NUL, invalid UTF-8) and nesting deeper than
 * MAX_NESTING (flow brackets, or block indentation), located at the first offending byte.
 */
function screen(file: string, text: string): void {
  const fail = (index: number, message: string): never => {
    const before = text.slice(0, index);
    const line = before.split('\n').length;
    throw new InputError([{ file, line, col: index - before.lastIndexOf('\n'), path: '', message }]);
  };
  const bad = text.search(/[\u0000\ufffd]/);
  if (bad >= 0) fail(bad, `not a text profile: ${text[bad] === '\u0000' ? 'a NUL byte' : 'bytes that are not UTF-8'} (a binary file?)`);
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i) - 1;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) fail(i, `nesting deeper than ${MAX_NESTING} levels`);
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n') {
      quote = '';
      let n = 0;
      while (text[i + 1 + n] === ' ') n++;
      // two spaces a level: deeper than MAX_NESTING block levels
      if (n > 2 * MAX_NESTING) fail(i + 1 + n, `nesting deeper than ${MAX_NESTING} levels (indented ${n} spaces)`);
    }
  }
}

function schemaMessage(e: ErrorObject): { segs: string[]; message: string; preferKey: boolean } | undefined {
  const segs = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const expected = (e.parentSchema as Record<string, unknown> | undefined)?.['x-expected'] as string | undefined;
  switch (e.keyword) {
    case 'if':
      return undefined;
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = Object.keys(((e.parentSchema as { properties?: object }).properties ?? {}) as object);
      return { segs: [...segs, key], message: `unknown key '${key}'${hint(key, known)}`, preferKey: true };
    }
    case 'required':
      return { segs, message: `missing required key '${e.params.missingProperty}'`, preferKey: false };
    case 'type': {
      const quote = e.params.type === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean') ? ' (quote it: YAML reads it as a ' + typeof e.data + ')' : '';
      return { segs, message: `expected ${expected ?? e.params.type}, got ${describe(e.data)}${quote}`, preferKey: false };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const h = typeof e.data === 'string' ? hint(e.data, (e.params.allowedValues as unknown[]).map(String)) : '';
      return { segs, message: `expected one of ${allowed.join(', ')}, got ${describe(e.data)}${h}`, preferKey: false };
    }
    case 'const':
      return { segs, message: `expected ${JSON.stringify(e.params.allowedValue)}, got ${describe(e.data)}`, preferKey: false };
    case 'minimum':
    case 'maximum':
    case 'minItems':
      return { segs, message: `expected ${expected ?? e.message}, got ${describe(e.data)}`, preferKey: false };
    case 'pattern':
      return { segs, message: `expected ${expected ?? `a string matching ${e.params.pattern}`}, got ${describe(e.data)}`, preferKey: false };
    default:
      return { segs, message: `${e.message ?? 'invalid'}`, preferKey: false };
  }
}

/** The YAML parser proper: every syntax problem as a diagnostic, the data, and positions. */
function fullParse(file: string, text: string): { data: unknown; at: LoadedDocument['at'] } {
  const { LineCounter, parseDocument } = yamlLib();
  const lc = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    lineCounter: lc,
    prettyErrors: true,
    strict: true,
    uniqueKeys: true,
    merge: false,
    resolveKnownTags: false,
    stringKeys: true,
  });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) {
    throw new InputError(
      problems.map((p) => ({
        file,
        line: p.linePos?.[0].line ?? 1,
        col: p.linePos?.[0].col ?? 1,
        path: '',
        message: p.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  const at = makeAt(file, doc, lc);
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), at };
  } catch (err) {
    throw new InputError([at([], `cannot load: ${(err as Error).message}`)]);
  }
}

/** Parse and validate a profile file; throws InputError with every problem found. */
export function loadDocument(path: string, expect?: Kind): LoadedDocument {
  const file = displayPath(path);
  const whole: Diagnostic = { file, line: 1, col: 1, path: '', message: '' };
  let text: string;
  let size = 0;
  const tooBig = (kind: Kind | undefined) => {
    const cap = kind === 'Fleet' || kind === undefined ? MAX_FLEET_BYTES : MAX_PROFILE_BYTES;
    if (size > cap) throw new InputError([{ ...whole, message: `file is ${size} bytes; ${kind === 'Fleet' ? 'fleets' : 'profiles'} are limited to ${cap}` }]);
  };
  try {
    size = statSync(path).size;
    tooBig(expect);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError([{ ...whole, message: `cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? err)}` }]);
  }
  let data: unknown;
  let at: LoadedDocument['at'];
  const quick = quickParse(text);
  if (!quick) screen(file, text);
  if (quick) {
    // positions are only needed for a diagnostic: parse fully then, once
    let full: LoadedDocument['at'] | undefined;
    data = quick;
    at = (segs, message, preferKey) => (full ??= fullParse(file, text).at)(segs, message, preferKey);
  } else ({ data, at } = fullParse(file, text));
  if (data === null || data === undefined) throw new InputError([at([], 'the file is empty; expected a profile mapping')]);
  if (typeof data !== 'object' || Array.isArray(data)) throw new InputError([at([], `expected a profile mapping, got ${describe(data)}`)]);
  const obj = data as Record<string, unknown>;
  const kind = obj.kind;
  if (!KINDS.includes(kind as Kind)) {
    const msg = kind === undefined ? "missing required key 'kind' (Host, Guest or Fleet)" : `expected kind Host, Guest or Fleet, got ${describe(kind)}${typeof kind === 'string' ? hint(kind, KINDS) : ''}`;
    throw new InputError([at(kind === undefined ? [] : ['kind'], msg)]);
  }
  if (!expect) tooBig(kind as Kind);
  if (expect && kind !== expect) throw new InputError([at(['kind'], `expected a ${expect} profile here, got kind ${kind}`)]);
  const validate = validatorFor[kind as Kind];
  if (!validate(obj)) {
    const seen = new Set<string>();
    const diags: Diagnostic[] = [];
    const typeErrorAt = new Set((validate.errors ?? []).filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    for (const e of validate.errors ?? []) {
      if (e.keyword !== 'type' && e.keyword !== 'additionalProperties' && e.keyword !== 'required' && typeErrorAt.has(e.instancePath)) continue;
      const m = schemaMessage(e);
      if (!m) continue;
      const d = at(m.segs, m.message, m.preferKey);
      const key = `${d.path}\0${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diags.push(d);
    }
    diags.sort((a, b) => a.line - b.line || a.col - b.col);
    throw new InputError(diags);
  }
  return { file, kind: kind as Kind, data: obj, at };
}
