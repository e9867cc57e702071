// SVE vector lengths across hosts against real QEMU (test/fixtures/kvm/qemu-oracle-sve.json,
// written by `npm run lab -- --qemu-migrate --qemu-pairs cpuA:A>cpuB:B --qemu-out
// qemu-oracle-sve.json [--qemu-cpu host,sve256=on]`): Debian's QEMU 7.2 saved a paused guest
// under one emulated CPU and loaded it under another (neoverse-v1 has 128+256-bit SVE,
// neoverse-v1,sve256=off and neoverse-n2 128-bit only). migcheck, given the two hosts as
// probed (the capture of the emulated core, with the vector lengths the boot's KVM reported),
// must fail exactly where QEMU failed, and call the unpinned 256 -> 128 move unsafe: QEMU
// loads it, and the guest's vectors shrink.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, writeProfile } from '../helpers.js';
import { KVM_FIXTURES, captureDirs, readDump, readLab } from './captures.js';

interface SvePair {
  cpu: string;
  toCpu?: string;
  from: string;
  to: string;
  qemuCpu?: string;
  qemu: 'clean' | 'fail' | 'error';
  replay: string;
  agree: boolean;
  words: string[];
  sveVectorLengths: { from: string; to: string };
  replays?: { hostLengths: string; sourceLengths?: string };
  /** the registers the helper's replay saw KVM refuse (KVM_SET_ONE_REG ids) */
  refused?: string[];
}

const file = join(KVM_FIXTURES, 'qemu-oracle-sve.json');
const oracle = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { qemu: string; agreed: string; pairs: SvePair[] }) : undefined;
const pairs = oracle?.pairs ?? [];
const cross = pairs.filter((p) => p.toCpu !== undefined);
const name = (p: SvePair) => `${p.cpu} ${p.from} -> ${p.toCpu ?? p.cpu} ${p.to}${p.qemuCpu ? ` (-cpu ${p.qemuCpu})` : ''}`;

/** KVM_REG_ARM64_SVE_VLS bitmap -> lengths in bits (bit n: (n + 1) x 128) */
const lengths = (hex: string) => [...Array(16).keys()].filter((b) => (BigInt(hex) >> BigInt(b)) & 1n).map((b) => (b + 1) * 128);
/** KVM_SET_ONE_REG id of a register kb/id-registers.yaml encodes (op0, op1, CRn, CRm, op2), and MIDR_EL1 */
const enc = (parse(readFileSync(join(KVM_FIXTURES, '..', '..', '..', 'kb', 'id-registers.yaml'), 'utf8')) as { registers: Record<string, number[]> }).registers;
const idOf = (reg: string) => {
  const [op0, op1, crn, crm, op2] = reg === 'MIDR_EL1' ? [3, 0, 0, 0, 0] : enc[reg] ?? [];
  return op0 === undefined ? reg : `0x${(0x6030000000130000n | BigInt((op0 << 14) | (op1! << 11) | (crn! << 7) | (crm! << 3) | op2!)).toString(16)}`;
};
/** the capture of the emulated core (properties like sve256=off aside) */
const dirOf = (cpu: string, kernel: string) => captureDirs().find((d) => { const l = readLab(d); return l.cpu === cpu.split(',')[0] && l.kernel === kernel && l.mode === 'vhe'; });

/** the Host as probed on the capture, with the vector lengths that boot's KVM offered */
async function hostFile(cpu: string, kernel: string, vls: string): Promise<string> {
  const dir = dirOf(cpu, kernel)!;
  const r = await cli('probe', '--root', join(KVM_FIXTURES, dir), '--kvm', '--vmm', 'qemu-7.2', '--name', `${cpu.replace(/[,=]/g, '-')}-${kernel}`);
  expect(r.code, r.stderr).toBe(0);
  return writeProfile({ ...(parse(r.stdout) as Record<string, unknown>), sveVectorLengths: lengths(vls) });
}

/** -cpu host,sve256=on: that length and every smaller one the source offers (QEMU's arm_cpu_sve_finalize) */
function pinned(p: SvePair): number[] | undefined {
  const on = [...(p.qemuCpu ?? '').matchAll(/sve(\d+)=on/g)].map((m) => Number(m[1]));
  return on.length ? lengths(p.sveVectorLengths.from).filter((l) => l <= Math.max(...on)) : undefined;
}

async function check(p: SvePair) {
  const from = await hostFile(p.cpu, p.from, p.sveVectorLengths.from);
  const to = await hostFile(p.toCpu ?? p.cpu, p.to, p.sveVectorLengths.to);
  const pin = pinned(p);
  const guest = pin ? writeProfile({ apiVersion: 'migcheck/v1', kind: 'Guest', name: 'sve-pinned', cpu: { sveVectorLengths: pin } }) : 'default';
  const r = await cli('check', '--from', from, '--to', to, '--guest', guest, '--format', 'json');
  expect(r.code, r.stderr).toBeLessThan(3);
  return JSON.parse(r.stdout) as { verdict: string; findings: { rule: string; severity: string; subject: string }[] };
}

describe('SVE vector lengths across hosts, real QEMU (test/fixtures/kvm/qemu-oracle-sve.json)', () => {
  it('is committed: 256 -> 128 and 128 -> 256 unpinned, and 256 pinned onto 128, on an isolated V1 and on V1 <-> N2', () => {
    expect(oracle).toBeDefined();
    expect(oracle!.agreed).toBe(`${pairs.filter((p) => p.agree).length} of ${pairs.length}`);
    const has = (f: (p: SvePair) => boolean) => expect(cross.some(f)).toBe(true);
    const shrinks = (p: SvePair) => Math.max(...lengths(p.sveVectorLengths.from)) > Math.max(...lengths(p.sveVectorLengths.to));
    has((p) => !p.qemuCpu && shrinks(p) && p.toCpu === 'neoverse-v1,sve256=off');
    has((p) => !p.qemuCpu && !shrinks(p) && p.cpu === 'neoverse-v1,sve256=off');
    has((p) => !!p.qemuCpu && shrinks(p));
    has((p) => p.cpu === 'neoverse-v1' && p.toCpu === 'neoverse-n2');
  });

  it('records the vector lengths the captures show for the real cores (V1 128+256, N2 128)', () => {
    for (const p of pairs)
      for (const [cpu, k, vls] of [[p.cpu, p.from, p.sveVectorLengths.from], [p.toCpu ?? p.cpu, p.to, p.sveVectorLengths.to]] as const)
        if (!cpu.includes(',')) expect(vls, `${cpu} ${k}`).toBe((readDump(dirOf(cpu, k)!) as unknown as { sveVectorLengths: string }).sveVectorLengths);
  });

  it.each(pairs.map((p) => [name(p), p] as const))('%s: QEMU and the replay agree, in QEMU\'s words', (_n, p) => {
    expect(p.agree).toBe(true);
    expect(p.qemu).toBe(p.replay);
    const errors = p.words.filter((w) => /^qemu-system-aarch64: /.test(w));
    if (p.qemu === 'clean') {
      expect(p.words.filter((w) => w.startsWith('VM status: ')).at(-1)).toBe('VM status: paused (prelaunch)');
      expect(errors).toEqual([]);
    } else expect(errors.length).toBeGreaterThan(0);
  });

  // KVM's own answer: the helper's replay with this host's lengths (QEMU unpinned) loads
  // whatever the lengths; writing the source's lengths to KVM_REG_ARM64_SVE_VLS is refused
  // where this host lacks one (EINVAL), accepted where it offers them all
  it.each(cross.map((p) => [name(p), p] as const))('%s: KVM_REG_ARM64_SVE_VLS takes the source lengths only where the destination offers them', (_n, p) => {
    const lacks = lengths(p.sveVectorLengths.from).some((l) => !lengths(p.sveVectorLengths.to).includes(l));
    if (lacks) expect(p.replays?.sourceLengths).toBe('refused: KVM_SET_ONE_REG(SVE_VLS): Invalid argument');
    else expect(p.replays?.sourceLengths).toBe(p.replays?.hostLengths);
  });

  it.each(pairs.map((p) => [name(p), p] as const))('%s: migcheck fails where QEMU failed, and says unsafe where vectors shrink unpinned', async (_n, p) => {
    const got = await check(p);
    expect(got.verdict === 'fail', got.verdict).toBe(p.qemu === 'fail');
    const sve = got.findings.filter((f) => f.rule === 'id-registers' && /sveVectorLengths/.test(f.subject));
    const a = lengths(p.sveVectorLengths.from), b = lengths(p.sveVectorLengths.to);
    const pin = pinned(p);
    if (pin && pin.some((l) => !b.includes(l))) {
      // QEMU refuses the pinned length at start-up: the destination never exists
      expect(sve.map((f) => [f.severity, f.subject])).toEqual([['fail', 'cpu.sveVectorLengths']]);
      expect(p.words.some((w) => /cannot enable sve\d+/.test(w)), p.words.join(' | ')).toBe(true);
    } else if (!pin && Math.max(...a) > Math.max(...b)) {
      expect(sve.map((f) => [f.severity, f.subject])).toEqual([['unsafe', 'sveVectorLengths']]);
      if (p.qemu === 'clean') expect(got.verdict).toBe('unsafe');
    } else expect(sve.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  // across cores KVM refuses ID-register values: the registers it refused are exactly the ones
  // migcheck names as failing (cpu-identity for MIDR_EL1, id-registers for the rest), so a
  // lower value KVM takes (V1 -> N2: ID_ISAR6_EL1, ID_AA64PFR0_EL1.SEL2, ID_AA64PFR1_EL1.BT)
  // is not called refused
  it.each(cross.filter((p) => !p.qemuCpu && p.refused?.length).map((p) => [name(p), p] as const))('%s: migcheck fails on exactly the registers KVM refused', async (_n, p) => {
    const got = await check(p);
    const named = new Set(got.findings.filter((f) => f.severity === 'fail' && f.subject !== 'cpu.sveVectorLengths').map((f) => idOf(f.subject.split('.')[0]!)));
    expect([...named].sort()).toEqual([...p.refused!].sort());
  });
});
