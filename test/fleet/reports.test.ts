// Fleet reports: grouping, the matrix, the baseline search, the upgrade plan and the
// fence, asserted on verdicts, rule ids, subjects and exit codes.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/model.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assess } from '../../src/solver/assess.js';
import { groupHosts, pairWeight } from '../../src/fleet/groups.js';
import { buildMatrix } from '../../src/fleet/matrix.js';
import { buildBaseline } from '../../src/fleet/baseline.js';
import { buildPlan } from '../../src/fleet/plan.js';
import { buildFence } from '../../src/fleet/fence.js';
import { cli, writeProfile } from '../helpers.js';

const r = new Resolver();
const D = r.guest('default');
const hostDoc = (name: string, kernel: string, cpu = 'neoverse-n1:r3p1', vmm = 'qemu-9.2') => ({ apiVersion: 'migcheck/v1', kind: 'Host', name, kernel, vmm, cpu });

describe('matrix', () => {
  it('groups hosts whose rule inputs are identical, whatever their names, and weights pairs by count', () => {
    const a = r.host(writeProfile(hostDoc('a', 'linux-6.6')));
    const b = r.host(writeProfile(hostDoc('b', 'linux-6.6')));
    const c = r.host(writeProfile(hostDoc('c', 'linux-6.1')));
    const groups = groupHosts([{ host: a, count: 3 }, { host: c, count: 2 }, { host: b, count: 1 }]);
    expect(groups.map((g) => [g.hosts.map((h) => h.name), g.count])).toEqual([[['a', 'b'], 4], [['c'], 2]]);
    expect(pairWeight(groups[0]!, groups[0]!)).toBe(12);
    const m = buildMatrix(groups, [D]);
    expect(m.grids[0]!.cells.map((row) => row.map((x) => x.verdict))).toEqual([['clean', 'fail'], ['clean', 'clean']]);
    expect(m.grids[0]!.hostPairs).toEqual({ clean: 12 + 8 + 2, unsafe: 0, fail: 8 });
    // a grouped cell says what a host-by-host check says
    expect(assess(b, c, D).verdict).toBe('fail');
  });

  it('eu-west: Altra and V1 never migrate across; 6.6 -> 6.1 fails on the registers 6.1 does not list', () => {
    const f = r.fleet('eu-west');
    const m = buildMatrix(groupHosts(f.hosts), [D]);
    const cells = m.grids[0]!.cells;
    expect(cells.map((row) => row.map((x) => x.verdict))).toEqual([
      ['clean', 'fail', 'fail'],
      ['clean', 'clean', 'fail'],
      ['fail', 'fail', 'clean'],
    ]);
    // 6.6 (QEMU 8.2) -> 6.1 (QEMU 7.2): the guest defined there has virt-8.2, and 6.1 lacks registers
    expect(cells[0]![1]!.reasons.map((x) => x.rule)).toEqual(['machine-type', 'register-list', 'register-list']);
    expect(cells[0]![1]!.reasons[0]!.subjects).toEqual(['machineType']);
    expect(cells[0]![1]!.reasons[1]!.subjects).toContain('TCR2_EL1');
    // MIDR, and N1's ID-register values V1 does not take
    expect(cells[0]![2]!.decisive().map((x) => `${x.rule}:${x.subject}`)).toContain('cpu-identity:MIDR_EL1');
    expect(cells[0]![2]!.decisive().map((x) => x.rule)).toContain('id-registers');
  });

  it('exit codes: 0 for a report, 2 with --fail-on fail when a cell fails, 3 without hosts', async () => {
    expect((await cli('matrix', '--fleet', 'eu-west')).code).toBe(0);
    expect((await cli('matrix', '--fleet', 'eu-west', '--fail-on', 'fail')).code).toBe(2);
    // (altra-6.12 -> altra-6.6 now fails: the rollback across 6.7 meets a higher DebugVer)
    // QEMU 10.0 -> 9.2 needs the guest defined with a type both register (virt-8.2 here)
    const q10 = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'altra-6.12-q10', kernel: 'linux-6.12', vmm: 'qemu-10.0', cpu: { model: 'ampere-altra', revision: 'r3p1' } });
    expect((await cli('matrix', 'altra-6.12', q10, '--guest', 'test/fixtures/guests/virt-8.2.yaml', '--fail-on', 'unsafe')).code).toBe(0);
    expect((await cli('matrix', 'altra-6.12', q10, '--fail-on', 'fail')).code).toBe(2);
    expect((await cli('matrix')).code).toBe(3);
    expect((await cli('check', '--from', 'altra-6.6', '--to', 'altra-6.6', '--format', 'html')).code).toBe(3);
  });
});

describe('baseline', () => {
  it('2018 hosts: pins PSCI 0.2, which makes old <-> vcpu-new clean; the sysreg host still cannot go back', () => {
    const b = buildBaseline(groupHosts(['2018-old', '2018-sysreg-new', '2018-vcpu-new'].map((n) => ({ host: r.host(n), count: 1 }))), D);
    expect(b.guest.psciVersion).toBe('0.2');
    expect(b.choices.map((c) => c.field)).toEqual(['psciVersion']);
    expect(b.after.clean).toBeGreaterThan(b.before.clean);
    const blocked = b.cells.flatMap((row) => row.filter((c) => c.verdict !== 'clean').map((c) => `${c.source}->${c.destination}:${c.reasons.map((x) => `${x.rule}:${x.subjects}`)}`));
    expect(blocked).toEqual(['2018-sysreg-new->2018-old:register-list:PSCI_VERSION', '2018-sysreg-new->2018-vcpu-new:register-list:PSCI_VERSION']);
  });

  // two revisions of N1 (V1 and N1 differ in their ID registers: no guest setting makes them migrate)
  it('N1 r3p1 and r4p0 hosts with a VMM that advertises target CPUs: the baseline lists both CPUs', () => {
    const r4 = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'n1-r4p0-writable-midr', extends: 'n1-writable-midr', cpu: { model: 'neoverse-n1', revision: 'r4p0' } });
    const b = buildBaseline(groupHosts(['n1-writable-midr', r4].map((n) => ({ host: r.host(n), count: 1 }))), D);
    expect(b.choices.map((c) => c.field)).toEqual(['targetCpus']);
    expect(b.guest.targetCpus?.map((c) => c.midr.toString(16))).toEqual(['413fd0c1', '414fd0c0']);
    expect(b.after).toEqual({ clean: 2, unsafe: 0, fail: 0 });
  });
});

describe('plan', () => {
  // the point of no return is the first wave: 6.12 -> 6.6 meets N1's DebugVer 8, which 6.6 (before 6.7) refuses
  it('eu-west: waves respect headroom and use only clean migrations; 6.6 -> 6.12 is the point of no return', () => {
    const f = r.fleet('eu-west');
    // guests defined with virt-7.2, the newest type every host registers (the baseline's pin)
    const V72 = { ...D, name: 'virt-7.2', machineType: 'virt-7.2' };
    const p = buildPlan(f, V72, { headroom: 0.25 });
    expect(p.blocked).toBeUndefined();
    expect(p.waves.map((w) => [w.pool, w.hosts])).toEqual([[1, 24], [1, 24], [1, 24], [1, 24], [1, 24], [2, 24], [3, 8], [3, 8], [3, 8], [3, 8], [3, 8]]);
    for (const w of p.waves) {
      const room = w.destinations.reduce((n, d) => n + d.hosts, 0);
      expect(w.hosts).toBeLessThanOrEqual(0.25 * room);
      for (const d of w.destinations) expect(assess(w.from, d.host, V72).verdict).toBe('clean');
    }
    expect(p.pointOfNoReturn).toBe(1);
    expect(p.waves[0]!.rollback.back.findings.filter((x) => x.severity === 'fail').map((x) => x.subject)).toEqual(['ID_AA64DFR0_EL1.DebugVer']);
    // a guest first defined on an upgraded host (QEMU 9.2) without the pin cannot go back to 8.2 on the machine type too
    expect(p.newGuestsNoReturn).toBe(1);
    expect(p.waves[0]!.rollback.definedOnTarget?.findings.filter((x) => x.severity === 'fail').map((x) => `${x.rule}:${x.subject}`)).toContain('machine-type:machineType');
    // unpinned, the plan's own guests meet it in the first wave's rollback
    const unpinned = buildPlan(f, D, { headroom: 0.25 });
    expect(unpinned.pointOfNoReturn).toBe(1);
    expect(unpinned.waves[0]!.rollback.back.findings.filter((x) => x.severity === 'fail').map((x) => x.rule)).toContain('machine-type');
    const w6 = p.waves[5]!;
    expect(w6.rollback.live).toBe(false);
    expect(w6.rollback.back.findings.filter((x) => x.severity === 'fail').map((x) => x.subject)).toContain('TCR2_EL1');
    expect(p.fleetGuests.map((g) => [g.guest.name, g.stopsAt?.wave])).toEqual([['default', undefined], ['pinned', undefined]]);
  });

  it('a pool with no clean destination blocks the plan and says why; --fail-on fail exits 2', async () => {
    const p = buildPlan(r.fleet('test/fixtures/fleets/blocked.yaml'), D, { headroom: 0.25 });
    expect(p.waves).toEqual([]);
    expect(p.blocked?.pool).toBe(1);
    expect(p.blocked?.options.map((o) => [o.side, o.host.name, o.assessment.verdict])).toEqual([['current', 'n1-6.6', 'clean'], ['current', 'v1-6.6', 'fail']]);
    expect((await cli('plan', '--fleet', 'test/fixtures/fleets/blocked.yaml', '--fail-on', 'fail')).code).toBe(2);
    expect((await cli('plan', '--fleet', 'test/fixtures/fleets/blocked.yaml')).code).toBe(0);
  });
});

describe('fence on linux-5.15 … linux-6.15 × qemu-9.2, qemu-11.1 (Neoverse-N1)', () => {
  const kernels = ['5.15', '5.16', '5.17', '5.18', '5.19', ...Array.from({ length: 16 }, (_, i) => `6.${i}`)].map((k) => `linux-${k}`);
  const f = buildFence(kernels, ['qemu-9.2', 'qemu-11.1'], (k, v) => r.composeHost(k, v, 'neoverse-n1:r3p1'), D, 'Neoverse-N1 r3p1');
  const step = (from: string, vmm: string) => f.steps.find((s) => s.axis === 'kernel' && s.from.kernel === from && s.from.vmm === vmm)!;
  const failing = (v: Verdict, a: { verdict: Verdict; findings: readonly { rule: string; subject: string; severity: string }[] }) =>
    a.verdict === v ? a.findings.filter((x) => x.severity === v).map((x) => `${x.rule}:${x.subject}`) : [];

  it.each([
    ['linux-5.16', 'qemu-9.2', ['register-list:SMCCC_ARCH_WORKAROUND_3']],
    ['linux-5.18', 'qemu-9.2', ['register-list:STD_BMAP', 'register-list:STD_HYP_BMAP', 'register-list:VENDOR_HYP_BMAP']],
    ['linux-6.12', 'qemu-9.2', ['psci-version:PSCI_VERSION']],
    ['linux-6.12', 'qemu-11.1', ['psci-version:PSCI_VERSION']],
    ['linux-6.14', 'qemu-9.2', ['register-list:VENDOR_HYP_BMAP_2']],
  ])('rollback from the release after %s on %s fails on %j', (from, vmm, subjects) => {
    expect(failing('fail', step(from, vmm).rollback)).toEqual(subjects);
  });

  it('QEMU 11.1 tolerates VENDOR_HYP_BMAP_2 at 0, so 6.15 -> 6.14 rolls back there', () => {
    expect(step('linux-6.14', 'qemu-11.1').rollback.verdict).toBe('clean');
  });

  it('the fence: 6.13 with QEMU 11.1, or 6.15 with QEMU 9.2; earlier points name the break', () => {
    expect(f.fence.map((c) => `${c.kernel}+${c.vmm}`)).toEqual(['linux-6.13+qemu-11.1', 'linux-6.15+qemu-9.2']);
    expect(f.breaks.map((b) => `${b.at.kernel}+${b.at.vmm}: ${failing('fail', b.assessment)}`)).toEqual([
      'linux-6.12+qemu-11.1: psci-version:PSCI_VERSION',
      'linux-6.13+qemu-9.2: register-list:VENDOR_HYP_BMAP_2',
      'linux-6.14+qemu-9.2: register-list:VENDOR_HYP_BMAP_2',
    ]);
  });

  it('CLI: ranges expand to every shipped release; --fail-on fail exits 2; a bad range is a usage error', async () => {
    const res = await cli('fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1', '--format', 'json', '--fail-on', 'fail');
    expect(res.code).toBe(2);
    const j = JSON.parse(res.stdout);
    expect(j.kernels).toEqual(kernels);
    expect(j.fence).toEqual([{ kernel: 'linux-6.13', vmm: 'qemu-11.1', endOfRange: false }, { kernel: 'linux-6.15', vmm: 'qemu-9.2', endOfRange: true }]);
    expect((await cli('fence', '--kernels', 'linux-6.15..linux-5.15', '--vmms', 'qemu-9.2')).code).toBe(3);
  });
});
