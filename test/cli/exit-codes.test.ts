// `check` exit codes for clean/unsafe/fail cases of every rule family (SPEC §3).
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const H = 'test/fixtures/hosts';
const G = 'test/fixtures/guests';
const h = (n: string) => (n.startsWith('2018-') ? n : `${H}/${n}.yaml`);

const cases: [family: string, from: string, to: string, guest: string, code: 0 | 1 | 2, rule?: string, subject?: string][] = [
  ['machine-type', 'n1-6.12', 'n1-6.12-q11', 'default', 0, 'machine-type', 'machineType'],
  ['machine-type', 'n1-6.12-q11', 'n1-6.12', 'default', 2, 'machine-type', 'machineType'],
  ['register-list', 'n1-6.12-q11', 'n1-6.13-q11', 'default', 0, 'register-list', 'TCR2_EL1'],
  ['register-list', 'n1-6.12', 'n1-6.13', 'default', 2, 'register-list', 'TCR2_EL1'],
  ['psci-version', '2018-old', '2018-vcpu-new', 'default', 0, 'psci-version', 'PSCI_VERSION'],
  ['psci-version', '2018-vcpu-new', '2018-old', 'default', 1, 'psci-version', 'PSCI_VERSION'],
  ['psci-version', 'n1-6.13', 'n1-6.12', 'default', 2, 'psci-version', 'PSCI_VERSION'],
  ['smccc-workarounds', 'n1-5.10', 'n1-5.10', 'default', 0],
  ['smccc-workarounds', 'n1-5.4', 'n1-5.10', 'default', 2, 'smccc-workarounds', 'SMCCC_ARCH_WORKAROUND_2'],
  ['hypercall-services', 'n1-5.12', 'n1-5.13', 'default', 0, 'hypercall-services', 'PTP'],
  ['hypercall-services', 'n1-5.13', 'n1-5.12', 'default', 1, 'hypercall-services', 'PTP'],
  ['stolen-time', 'n1-5.4', 'n1-5.5', 'default', 0, 'stolen-time', 'stolenTime'],
  // the pvtime RAM block the source migrates is unknown to the destination (Unknown ramblock)
  ['stolen-time', 'n1-5.5', 'n1-5.4', 'default', 2, 'stolen-time', 'stolenTime'],
  ['stolen-time', 'n1-5.5', 'n1-5.4', `${G}/stolen-time-on.yaml`, 2, 'stolen-time', 'guest.stolenTime'],
  ['cpu-identity', 'n1r4-6.15-next', 'n1-6.15-next', `${G}/n1-v1-targets.yaml`, 0, 'cpu-identity', 'MIDR_EL1'],
  ['cpu-identity', 'n1-6.6', 'v1-6.6', 'default', 2, 'cpu-identity', 'MIDR_EL1'],
  ['guest-errata', 'n1-6.15-next', 'n1-6.15-next', 'default', 0],
  ['guest-errata', 'n1r4-6.15-next', 'n1-6.15-next', 'default', 1, 'guest-errata', 'erratum 1418040'],
  ['id-registers', 'n1-6.6', 'n1-6.12', 'default', 0],
  ['id-registers', 'n1-6.12', 'n1-6.6', 'default', 2, 'id-registers', 'ID_AA64DFR0_EL1.DebugVer'],
  ['id-registers', 'v1-6.15-next', 'n1-6.15-next', `${G}/n1-v1-targets.yaml`, 2, 'id-registers', 'ID_AA64PFR0_EL1.SVE'],
  ['guest-errata', 'n1-6.6', 'n1-6.6', `${G}/n1-v1-targets.yaml`, 2, 'guest-errata', 'guest.targetCpus'],
];

describe('check exit codes by rule family', () => {
  it.each(cases)('%s: %s -> %s (guest %s) exits %i', async (_family, from, to, guest, code, rule, subject) => {
    const r = await cli('check', '--from', h(from), '--to', h(to), '--guest', guest, '--format', 'json');
    expect(r.code).toBe(code);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe(['clean', 'unsafe', 'fail'][code]);
    if (rule) expect(out.findings).toContainEqual(expect.objectContaining({ rule, subject }));
  });
});
