// `validate` for machines: every problem with its place (JSON), one test case per file
// (JUnit) and located results editors and code hosts show beside the line (SARIF 2.1.0).
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../profile/diagnostics.js';
import { junitXml } from './junit.js';

export interface FileResult {
  readonly file: string;
  /** Host, Guest or Fleet when it validated */
  readonly kind?: string;
  /** its problems (some may be in a file it extends or lists) */
  readonly problems: readonly Diagnostic[];
}

const problemJson = (d: Diagnostic) => ({ file: d.file, line: d.line, column: d.col, path: d.path, message: d.message });
const where = (d: Diagnostic) => `${d.file}:${d.line}:${d.col}: ${d.path || '(document)'}: ${d.message}`;

export function validateJson(results: readonly FileResult[]): string {
  const invalid = results.filter((r) => r.problems.length).length;
  return `${JSON.stringify(
    {
      valid: results.length - invalid,
      invalid,
      files: results.map((r) => ({ file: r.file, ok: !r.problems.length, ...(r.kind ? { kind: r.kind } : {}) })),
      problems: results.flatMap((r) => r.problems.map(problemJson)),
    },
    null,
    2,
  )}\n`;
}

export function validateJunit(results: readonly FileResult[]): string {
  return junitXml('migcheck validate', [
    {
      name: 'validate',
      cases: results.map((r) => ({
        name: r.file,
        classname: 'migcheck.validate',
        ...(r.problems.length
          ? { failure: { type: 'invalid', message: `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}: ${r.problems[0]!.path || '(document)'}: ${r.problems[0]!.message}`, text: r.problems.map(where).join('\n') } }
          : {}),
      })),
    },
  ]);
}

/** A path as SARIF wants it: a relative URI reference, or a file: URL when absolute. */
const uri = (file: string) => (isAbsolute(file) ? pathToFileURL(file).href : file.split(/[\\/]/).map(encodeURIComponent).join('/'));

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function validateSarif(results: readonly FileResult[], version: string): string {
  const problems = results.flatMap((r) => r.problems);
  return `${JSON.stringify(
    {
      $schema: SARIF_SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'migcheck',
              semanticVersion: version,
              rules: [{ id: 'profile', name: 'ProfileProblem', shortDescription: { text: 'A Host, Guest or Fleet profile does not validate' }, defaultConfiguration: { level: 'error' } }],
            },
          },
          results: problems.map((d) => ({
            ruleId: 'profile',
            ruleIndex: 0,
            level: 'error',
            message: { text: `${d.path || '(document)'}: ${d.message}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: uri(d.file) }, region: { startLine: d.line, startColumn: d.col } } }],
            ...(d.path ? { properties: { path: d.path } } : {}),
          })),
        },
      ],
    },
    null,
    2,
  )}\n`;
}
