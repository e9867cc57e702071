// Read one YAML profile: size cap (on the bytes read), strict YAML 1.2 parse with positions, precompiled
// JSON Schema validation. Every problem becomes a file:line:col diagnostic.
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import { InputError, dottedPath, hint, type Diagnostic } from './diagnostics.js';
import { MAX_FLOW_ITEMS, MAX_NESTING } from './limits.js';
import { locate, quickLocator } from './locate.js';
import { workingDir } from './paths.js';
import { quickParse } from './quick-yaml.js';
import { ReadRefused, readBounded } from './read-bounded.js';
import { describe, schemaDiagnostics, type Kind } from './schema-problems.js';

const MAX_PROFILE_BYTES = 1 << 20;
/** a fleet lists every host, so it may be larger than one profile */
const MAX_FLEET_BYTES = 16 << 20;
export const KINDS = ['Host', 'Guest', 'Fleet'] as const satisfies readonly Kind[];
export type { Kind };

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
  // a normalised path below a normalised working directory is its own rest there, as relative()
  // would find it after normalising both (a fleet's 200 host files, each normalised twice;
  // test/profile/display-path.test.ts)
  if (file.length > cwd.length + 1 && file.charCodeAt(cwd.length) === 47 && file.startsWith(cwd) && plainCwd(cwd) && NORMAL_REST.test(file) && !DOT_SEGMENT.test(file.slice(cwd.length))) {
    const rest = file.slice(cwd.length + 1);
    return rest.startsWith('..') ? file : rest;
  }
  // outside the working directory, as a normalised path below neither it nor its parents is:
  // relative() would begin with '..' (a fleet's 200 host files beside a fleet elsewhere)
  if (plainCwd(cwd) && NORMAL_REST.test(file) && !DOT_SEGMENT.test(file) && !file.startsWith(cwd) && !cwd.startsWith(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}


// string tests, not /^(?:\/[^/]+)+$/ and /\/\.\.?(?:\/|$)/: start-up compiles no expression
// for them (test/profile/plain-matchers.test.ts holds them to the expressions)
/** a POSIX path (/-separated) of one or more segments, none empty: no `//`, no trailing `/` */
export const NORMAL_REST = { test: (s: string) => s.length > 1 && s.charCodeAt(0) === 47 && !s.endsWith('/') && !s.includes('//') };
/** a `.` or `..` segment */
export const DOT_SEGMENT = { test: (s: string) => s.includes('/./') || s.includes('/../') || s.endsWith('/.') || s.endsWith('/..') };
let cwdSeen: string | undefined;
let cwdPlain = false;
/** the working directory is what relative() makes of it: normalised, not the root, on a / system */
function plainCwd(cwd: string): boolean {
  if (cwd !== cwdSeen) {
    cwdSeen = cwd;
    cwdPlain = sep === '/' && cwd !== '/' && resolve(cwd) === cwd;
  }
  return cwdPlain;
}

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
  // items per open flow collection: the YAML parser slows down by the square of a long one
  const items: number[] = [];
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
      items[depth] = 1;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth > 0 && ++items[depth]! > MAX_FLOW_ITEMS) fail(i, `a flow collection of more than ${MAX_FLOW_ITEMS} items (the longest list a profile holds is 4,096 registers)`);
    else if (c === '\n') {
      quote = '';
      let n = 0;
      while (text[i + 1 + n] === ' ') n++;
      // two spaces a level: deeper than MAX_NESTING block levels
      if (n > 2 * MAX_NESTING) fail(i + 1 + n, `nesting deeper than ${MAX_NESTING} levels (indented ${n} spaces)`);
    }
  }
}

/** How profiles are parsed (warnings count as problems too); the fast readers' property tests parse with the same. */
export const YAML_OPTIONS = {
  version: '1.2',
  schema: 'core',
  prettyErrors: true,
  strict: true,
  uniqueKeys: true,
  merge: false,
  resolveKnownTags: false,
  stringKeys: true,
} as const;

/** The YAML parser proper: every syntax problem as a diagnostic, the data, and positions. */
function fullParse(file: string, text: string): { data: unknown; at: LoadedDocument['at'] } {
  // also when the fast reader read the data and positions are wanted for a diagnostic
  screen(file, text);
  const { LineCounter, parseDocument } = yamlLib();
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lc });
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

const capFor = (kind: Kind | undefined) => (kind === 'Fleet' || kind === undefined ? MAX_FLEET_BYTES : MAX_PROFILE_BYTES);
const capText = (kind: Kind | undefined) =>
  kind === undefined ? `profiles are limited to ${MAX_PROFILE_BYTES}, fleets to ${MAX_FLEET_BYTES}` : `${kind === 'Fleet' ? 'fleets' : 'profiles'} are limited to ${capFor(kind)}`;

/**
 * The file's text, read with readBounded: the cap holds on the bytes actually read (FIFOs,
 * devices and procfs report size 0), before the kind is known: up to the fleet cap, or the
 * expected kind's. A silent pipe is given up after a bounded wait.
 */
function readText(path: string, file: string, expect: Kind | undefined): { text: string; size: number } {
  const whole: Diagnostic = { file, line: 1, col: 1, path: '', message: '' };
  let bytes: Buffer;
  try {
    bytes = readBounded(path, { maxBytes: capFor(expect) });
  } catch (err) {
    if (!(err instanceof ReadRefused)) throw err;
    const message = err.problem === 'too-big' ? `file is ${err.size ?? `more than ${capFor(expect)}`} bytes; ${capText(expect)}` : err.message;
    throw new InputError([{ ...whole, message }]);
  }
  if (bytes.length === 0 && !isRegular(path)) throw new InputError([{ ...whole, message: 'nothing to read: not a regular file, and nothing was written to it (a FIFO with no writer?)' }]);
  const text = bytes.toString('utf8');
  // only a Fleet may pass the profile cap: anything else that large is refused unparsed
  if (!expect && bytes.length > MAX_PROFILE_BYTES && !/\bkind['"]?\s*:\s*['"]?Fleet\b/.test(text))
    throw new InputError([{ ...whole, message: `file is ${bytes.length} bytes and not a Fleet; profiles are limited to ${MAX_PROFILE_BYTES}` }]);
  return { text, size: bytes.length };
}

const isRegular = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * `kernel: 6.1` is a YAML number, and so is `kernel: 6.10`, which reads as 6.1: a version given
 * as a number is taken as it is written in the file, not as the number it parses to.
 */
function versionsAsWritten(kind: Kind, obj: Record<string, unknown>, text: string, at: LoadedDocument['at']): void {
  const asWritten = (segs: string[], value: number) => {
    const { line, col } = at(segs, '');
    const token = /^[0-9][0-9.]*/.exec(text.split('\n', line)[line - 1]?.slice(col - 1) ?? '')?.[0];
    return token !== undefined && Number(token) === value ? token : String(value);
  };
  if (kind === 'Host' && typeof obj.kernel === 'number') obj.kernel = asWritten(['kernel'], obj.kernel);
  if (kind === 'Guest' && typeof obj.guestKernel === 'number') obj.guestKernel = asWritten(['guestKernel'], obj.guestKernel);
}

/** A profile file's text as loadDocument reads it (its cap, its refusals), for a reader that tries a fast path first and hands the same text back (a FIFO reads once). */
export interface ReadDocument {
  readonly file: string;
  readonly text: string;
  readonly size: number;
}

export function readDocument(path: string, expect?: Kind): ReadDocument {
  const file = displayPath(path);
  return { file, ...readText(path, file, expect) };
}

/** Parse and validate a profile file (or the text already read from it); throws InputError with every problem found. */
export function loadDocument(path: string, expect?: Kind, read: ReadDocument = readDocument(path, expect)): LoadedDocument {
  const { file, text, size } = read;
  let data: unknown;
  let at: LoadedDocument['at'];
  const quick = quickParse(text);
  if (quick) {
    // positions are only needed for a diagnostic: found by scanning lines, or (outside what
    // the line scan knows) by parsing fully, once
    let full: LoadedDocument['at'] | undefined;
    let lines: ReturnType<typeof quickLocator> | undefined;
    data = quick;
    at = (segs, message, preferKey = false) => {
      const p = (lines ??= quickLocator(text))(segs.map(String), preferKey);
      return p ? { file, line: p.line, col: p.col, path: dottedPath(segs), message } : (full ??= fullParse(file, text).at)(segs, message, preferKey);
    };
  } else ({ data, at } = fullParse(file, text));
  if (data === null || data === undefined) throw new InputError([at([], 'the file is empty; expected a profile mapping')]);
  if (typeof data !== 'object' || Array.isArray(data)) throw new InputError([at([], `expected a profile mapping, got ${describe(data)}`)]);
  const obj = data as Record<string, unknown>;
  const kind = obj.kind;
  if (!KINDS.includes(kind as Kind)) {
    const msg = kind === undefined ? "missing required key 'kind' (Host, Guest or Fleet)" : `expected kind Host, Guest or Fleet, got ${describe(kind)}${typeof kind === 'string' ? hint(kind, KINDS) : ''}`;
    throw new InputError([at(kind === undefined ? [] : ['kind'], msg)]);
  }
  if (!expect && size > capFor(kind as Kind)) throw new InputError([{ file, line: 1, col: 1, path: '', message: `file is ${size} bytes; ${capText(kind as Kind)}` }]);
  if (expect && kind !== expect) throw new InputError([at(['kind'], `expected a ${expect} profile here, got kind ${kind}`)]);
  versionsAsWritten(kind as Kind, obj, text, at);
  checkSchema(obj, kind as Kind, at);
  return { file, kind: kind as Kind, data: obj, at };
}

/** The kind's JSON Schema over a document's data; every problem located by `at` (a file's positions, or an inline host's columns). */
export function checkSchema(obj: Record<string, unknown>, kind: Kind, at: LoadedDocument['at']): void {
  const problems = schemaDiagnostics(kind, obj, at);
  if (problems) throw new InputError(problems);
}
