// What migcheck says of a lab replay's pair, register by register: shared by the tests that hold
// it to real KVM's refusals (cross-cpu.test.ts, qemu50-kernels.test.ts).
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { kb } from '../../src/kb/data.js';
import { cli, writeProfile } from '../helpers.js';

export interface ReplayCell {
  result: 'clean' | 'fail';
  notListed: string[];
  refused: { id: string; error: string }[];
}

// register ids -> the names migcheck's findings use
const names = new Map<bigint, string>();
for (const r of kb.registers) if ('id' in r && typeof r.id === 'string') names.set(BigInt(r.id), r.name);
for (const [n, enc] of Object.entries(kb.idRegisters.registers)) {
  const [op0, op1, crn, crm, op2] = enc.map(BigInt) as [bigint, bigint, bigint, bigint, bigint];
  names.set(0x6030000000130000n | (op0 << 14n) | (op1 << 11n) | (crn << 7n) | (crm << 3n) | op2, n);
}
export const nameOf = (id: string) => {
  const v = BigInt(id);
  // KVM_REG_ARM_DEMUX_ID_CCSIDR (coproc 0x11, U32): the cache index in the low byte
  if (v >> 8n === 0x60200000001100n) return `DEMUX_CCSIDR_${Number(v & 0xffn)}`;
  return names.get(v) ?? id;
};

// a register the destination does not list, as register-list names it: the CCSIDR demux by its
// groups (kb registers: DEMUX_CCSIDR_HOST, the 3 the hosts' CLIDR reports; DEMUX_CCSIDR_REST)
const listedName = (id: string) => {
  const n = nameOf(id);
  const demux = /^DEMUX_CCSIDR_(\d+)$/.exec(n);
  return demux ? (Number(demux[1]) < 3 ? 'DEMUX_CCSIDR_HOST' : 'DEMUX_CCSIDR_REST') : n;
};

const probed = new Map<string, string>();
/** The Host `probe --root DIR --kvm --vmm VMM` writes for a capture directory, once per directory. */
export async function probedHost(dir: string, vmm: string): Promise<string> {
  let f = probed.get(dir);
  if (!f) {
    const r = await cli('probe', '--root', dir, '--kvm', '--vmm', vmm, '--name', dir.split('/').pop()!);
    expect(r.code, r.stderr).toBe(0);
    probed.set(dir, (f = writeProfile(parse(r.stdout) as Record<string, unknown>)));
  }
  return f;
}

/**
 * `check --from A --to B` against the replay's cell: undefined when migcheck fails exactly the
 * registers KVM refused or did not list (and its verdict agrees), else what differs. `unstated`:
 * registers the two profiles give no values for, which migcheck cannot be asked to name.
 */
export async function disagreement(from: string, to: string, cell: ReplayCell, unstated: (reg: string) => boolean = () => false): Promise<string | undefined> {
  const r = await cli('check', '--from', from, '--to', to, '--format', 'json');
  expect(r.code, r.stderr).toBeLessThan(3);
  const out = JSON.parse(r.stdout) as { verdict: string; findings: { severity: string; subject: string }[] };
  const predicted = new Set(out.findings.filter((f) => f.severity === 'fail').map((f) => f.subject.split('.')[0]!));
  const real = new Set([...cell.refused.map((x) => nameOf(x.id)), ...cell.notListed.map(listedName)]);
  const missed = [...real].filter((x) => !predicted.has(x) && !unstated(x));
  const extra = [...predicted].filter((x) => !real.has(x));
  const verdict = (out.verdict === 'fail') !== (cell.result === 'fail') ? `verdict ${out.verdict}, KVM ${cell.result}; ` : '';
  return verdict || missed.length || extra.length ? `${verdict}KVM refused, migcheck let through [${missed}]; migcheck refused, KVM took [${extra}]` : undefined;
}
