// Test helpers: hosts and guests go through the real loader (YAML on disk -> schema ->
// resolver), so rule tests also exercise the profile layer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Assessment, Finding, GuestModel, HostModel } from '../src/model.js';
import { Resolver } from '../src/profile/resolve.js';
import { assess } from '../src/solver/assess.js';
import { main } from '../src/cli/main.js';

export const TMP = join(dirname(fileURLToPath(import.meta.url)), '.tmp');
mkdirSync(TMP, { recursive: true });
const resolver = new Resolver();
let n = 0;

export function writeProfile(doc: Record<string, unknown>, name = `p${process.pid}-${n++}`): string {
  const file = join(TMP, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

export interface HostSpec {
  kernel: string | Record<string, unknown>;
  vmm?: string | Record<string, unknown>;
  cpu?: string | Record<string, unknown>;
  mitigations?: Record<string, string>;
  name?: string;
  otherCpus?: Record<string, unknown>[];
  probe?: Record<string, unknown>;
  bootOptions?: string[];
  idRegisters?: Record<string, string | number>;
}

export function host(spec: HostSpec): HostModel {
  const name = spec.name ?? `h${n}`;
  return resolver.host(
    writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name, vmm: 'qemu-9.2', cpu: { model: 'neoverse-n1', revision: 'r3p1' }, ...spec }),
  );
}

export function guest(spec: Record<string, unknown> = {}): GuestModel {
  return resolver.guest(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Guest', name: `g${n}`, ...spec }));
}

export const shipped = (name: string) => resolver.host(name);

/** A table-driven rule case: what must hold for (from, to, guest). */
export interface RuleCase {
  name: string;
  from: HostSpec;
  to: HostSpec;
  guest?: Record<string, unknown>;
  verdict: 'clean' | 'unsafe' | 'fail';
  /** findings of the rule under test that must be present (severity + subject) */
  expect?: { severity: Finding['severity']; subject: string }[];
  /** the rule under test must report nothing */
  none?: boolean;
  /** findings of the rule under test that must be absent (a fact that holds only from a later release) */
  absent?: { severity: Finding['severity']; subject: string }[];
}

export function runCase(c: RuleCase): Assessment {
  return assess(host(c.from), host(c.to), c.guest ? guest(c.guest) : { name: 'default', stolenTime: 'auto' });
}

export function ruleFindings(a: Assessment, rule: string) {
  return a.findings.filter((f) => f.rule === rule).map((f) => ({ severity: f.severity, subject: f.subject }));
}

/** Run the CLI in-process; returns exit code and both streams. */
export const cli = (...argv: string[]) => runEntry(main as never, argv) as Promise<{ code: number; stdout: string; stderr: string }>;

/** Run an entry point (main, or the yargs-free fastCheck) in-process with captured streams. */
export async function runEntry(f: (argv: string[], io: never) => Promise<number | undefined>, argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdoutIsTTY: false, env };
  const code = await f(argv, io as never);
  return { code, stdout, stderr };
}

/** `probe --kvm` with the given helper program, as on an arm64 host (the helper decides what KVM says). */
export const probeKvmWith = (helper: string) =>
  runEntry(main as never, ['probe', '--kvm', '--kvm-helper', helper, '--vmm', 'qemu-9.2'], { MIGCHECK_PROBE_ARCH: 'arm64', MIGCHECK_PROBE_KVM_DEVICE: '/dev/null' });
