// baseline proposes turning a vCPU feature off where some hosts' VMMs turn it on and others
// do not (PAuth for -cpu host from QEMU 7.0), and says what that costs the guest.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Resolver } from '../../src/profile/resolve.js';
import { groupHosts } from '../../src/fleet/groups.js';
import { buildBaseline } from '../../src/fleet/baseline.js';
import { settingValue } from '../../src/render/baseline.js';
import { guestYaml } from '../../src/render/guest-doc.js';
import { TMP, writeProfile } from '../helpers.js';

const r = new Resolver();
const host = (cpu: string, vmm: string) =>
  r.host(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: `${cpu}-${vmm}`, kernel: 'linux-6.6', vmm, cpu: { model: cpu, revision: cpu === 'neoverse-n1' ? 'r3p1' : 'r1p1' } }));
const baseline = (hosts: ReturnType<typeof host>[]) => buildBaseline(groupHosts(hosts.map((h) => ({ host: h, count: 1 }))), r.guest('default'));

describe('baseline: vCPU features', () => {
  it('V1 on QEMU 6.2 and 7.0: pauth off makes both directions clean, at the cost of pointer authentication', () => {
    const b = baseline([host('neoverse-v1', 'qemu-6.2'), host('neoverse-v1', 'qemu-7.0')]);
    expect(b.before).toEqual({ clean: 0, unsafe: 0, fail: 2 });
    // 7.0 -> 6.2 also needs the machine type pinned (machine-type rule)
    expect(b.choices.map((c) => c.field)).toEqual(['machineType', 'cpu']);
    expect(b.guest.cpu).toEqual({ pauth: false });
    expect(b.after).toEqual({ clean: 2, unsafe: 0, fail: 0 });
    expect(settingValue(b, b.choices.find((c) => c.field === 'cpu')!)).toMatch(/pauth=off.*pointer authentication/);
    const file = join(TMP, `baseline-vcpu-${process.pid}.yaml`);
    writeFileSync(file, guestYaml(b.guest));
    expect(new Resolver().guest(file).cpu).toEqual({ pauth: false });
  });

  it('N1 on QEMU 6.2 and 7.0: nothing to turn off', () => {
    const b = baseline([host('neoverse-n1', 'qemu-6.2'), host('neoverse-n1', 'qemu-7.0')]);
    expect(b.choices.map((c) => c.field)).not.toContain('cpu');
    expect(b.guest.cpu).toBeUndefined();
    expect(b.after.clean).toBe(2);
  });

  it('V1 hosts offering 128+256 and 128 bits: the common length 128 makes both directions clean, at the cost of longer vectors', () => {
    const v1 = (name: string, more: Record<string, unknown>) =>
      r.host(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name, kernel: 'linux-6.6', vmm: 'qemu-9.2', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, ...more }));
    const b = baseline([v1('v1-256', {}), v1('v1-128', { sveVectorLengths: [128] })]);
    expect(b.before).toEqual({ clean: 1, unsafe: 1, fail: 0 });
    expect(b.choices.map((c) => c.field)).toEqual(['cpu']);
    expect(b.guest.cpu).toEqual({ sveVectorLengths: [128] });
    expect(b.after).toEqual({ clean: 2, unsafe: 0, fail: 0 });
    expect(settingValue(b, b.choices[0]!)).toMatch(/sve128=on.*at most 128 bits/);
    const file = join(TMP, `baseline-sve-${process.pid}.yaml`);
    writeFileSync(file, guestYaml(b.guest));
    expect(new Resolver().guest(file).cpu).toEqual({ sveVectorLengths: [128] });
  });
});
