// JUnit XML, the test-report format CI systems show natively (Jenkins, GitLab, GitHub
// checks): one <testcase> per gated item (a validated file, a batch line, a report's row,
// cell, step or wave), a <failure> for each one that fails the gate.
import type { Assessment, Verdict } from '../model.js';
import { worksWhy } from './reasons.js';

interface JunitCase {
  readonly name: string;
  readonly classname: string;
  /** present when the item fails the gate */
  readonly failure?: { readonly type: string; readonly message: string; readonly text: string };
}

interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
}

// attribute and text content alike; control characters never reach here raw (the output
// escaper shows them as \x1b …, which XML 1.0 could not carry)
const x = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

const caseXml = (c: JunitCase) =>
  c.failure
    ? `    <testcase name="${x(c.name)}" classname="${x(c.classname)}" time="0">\n      <failure type="${x(c.failure.type)}" message="${x(c.failure.message)}">${x(c.failure.text)}</failure>\n    </testcase>`
    : `    <testcase name="${x(c.name)}" classname="${x(c.classname)}" time="0"/>`;

export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const failures = (s: readonly JunitCase[]) => s.filter((c) => c.failure).length;
  const all = suites.flatMap((s) => s.cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(name)}" tests="${all.length}" failures="${failures(all)}" errors="0" time="0">`,
    ...suites.flatMap((s, i) => [
      `  <testsuite name="${x(s.name)}" id="${i}" tests="${s.cases.length}" failures="${failures(s.cases)}" errors="0" skipped="0" time="0">`,
      ...s.cases.map(caseXml),
      '  </testsuite>',
    ]),
    '</testsuites>',
    '',
  ].join('\n');
}

/** One item a report's --fail-on judges: a row, a cell, a step, a wave. */
export interface GateItem {
  readonly suite: string;
  readonly name: string;
  readonly verdict: Verdict;
  /** the reasons, for items that are not clean */
  readonly why: string;
}

/** --fail-on fail trips on fail; --fail-on unsafe on anything not clean (the exit codes' rule). */
export const trips = (failOn: 'unsafe' | 'fail', v: Verdict) => (failOn === 'fail' ? v === 'fail' : v !== 'clean');

/** A report's --fail-on result: one suite per `suite` of the items, in order of appearance. */
export function gateJunit(command: string, failOn: 'unsafe' | 'fail', items: readonly GateItem[]): string {
  const suites = new Map<string, JunitCase[]>();
  for (const it of items) {
    const cases = suites.get(it.suite) ?? [];
    cases.push({
      name: it.name,
      classname: `migcheck.${command}`,
      ...(trips(failOn, it.verdict) ? { failure: { type: it.verdict, message: `${it.verdict} (--fail-on ${failOn})`, text: it.why } } : {}),
    });
    suites.set(it.suite, cases);
  }
  return junitXml(`migcheck ${command} --fail-on ${failOn}`, [...suites].map(([name, cases]) => ({ name, cases })));
}

/** check --batch: one case per input line; a line fails when its exit is not 0 (so --allow-unsafe passes unsafe). */
export function batchJunit(lines: readonly { line: number; id?: string | number; a: Assessment; exit: number }[]): string {
  return junitXml('migcheck check --batch', [
    {
      name: 'check --batch',
      cases: lines.map(({ line, id, a, exit }) => ({
        name: `${id !== undefined ? `${id} (line ${line})` : `line ${line}`}: ${a.source} -> ${a.destination} (guest ${a.guest})`,
        classname: 'migcheck.check',
        ...(exit ? { failure: { type: a.verdict, message: `${a.verdict}: exit ${exit}`, text: `${worksWhy(a, ': ', '')}` } } : {}),
      })),
    },
  ]);
}
