// assess(source, destination, guest): run every rule over the two sides of a migration.
import type { Assessment, Endpoint, Finding, GuestModel, HostModel, Severity, Verdict } from '../model.js';
import { rules } from '../rules/index.js';
import { vmState } from './vm-state.js';
import { withSourceMachineType } from './machine-state.js';

const RANK: Record<Severity, number> = { info: 0, unsafe: 1, fail: 2 };
const VERDICT_OF: Record<number, Verdict> = { 0: 'clean', 1: 'unsafe', 2: 'fail' };

export function worst(findings: readonly Finding[]): Verdict {
  return VERDICT_OF[Math.max(0, ...findings.map((f) => RANK[f.severity]))]!;
}

/** The findings that decide a verdict: those at its severity (none for clean). */
export function decisive(a: Assessment): Finding[] {
  return a.verdict === 'clean' ? [] : a.findings.filter((f) => f.severity === a.verdict);
}

/** Both sides may run the guest with different configurations (the table's compat rows). */
export function assessEndpoints(source: Endpoint, destination: Endpoint): Assessment {
  // the machine type travels with the guest: unset, it is the one the source gave it at define time
  const srcGuest = withSourceMachineType(source.guest, source.host);
  const dstGuest = destination.guest === source.guest ? srcGuest : withSourceMachineType(destination.guest, source.host);
  const ctx = { src: vmState({ host: source.host, guest: srcGuest }), dst: vmState({ host: destination.host, guest: dstGuest }) };
  const findings = rules.flatMap((r) => r.check(ctx));
  const guest = source.guest === destination.guest ? source.guest.name : `${source.guest.name} -> ${destination.guest.name}`;
  return { verdict: worst(findings), source: source.host.name, destination: destination.host.name, guest, findings };
}

/** assess(…).verdict === 'clean', stopping at the first rule that says more than info (grids need no findings). */
export function migratesCleanly(source: HostModel, destination: HostModel, guest: GuestModel): boolean {
  const srcGuest = withSourceMachineType(guest, source);
  const ctx = { src: vmState({ host: source, guest: srcGuest }), dst: vmState({ host: destination, guest: srcGuest }) };
  return rules.every((r) => r.check(ctx).every((f) => f.severity === 'info'));
}

export function assess(source: HostModel, destination: HostModel, guest: GuestModel): Assessment {
  return assessEndpoints({ host: source, guest }, { host: destination, guest });
}
