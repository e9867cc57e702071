// Acceptance for SPEC §4: Drew Jones's two tables (kvmarm, Feb 2018), works column exactly,
// with the findings that say why.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

interface Row { migration: string; userspaceChange: boolean; works: string; findings: { rule: string; severity: string; subject: string; message: string }[] }
const table = async (approach: string): Promise<Row[]> => {
  const r = await cli('table', '--old', '2018-old', '--new', approach, '--compat', '2018-compat', '--format', 'json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).rows;
};
const finding = (row: Row | undefined) => row?.findings.map(({ rule, severity, subject }) => ({ rule, severity, subject }));

describe('the 2018 kvmarm tables', () => {
  it('sysreg approach: YES, YES, NO, NO, YES', async () => {
    const rows = await table('2018-sysreg-new');
    expect(rows.map((r) => [r.migration, r.userspaceChange, r.works])).toEqual([
      ['new -> new', false, 'YES'], ['old -> new', false, 'YES'], ['new -> old', false, 'NO'], ['compat -> old', true, 'NO'], ['old -> compat', true, 'YES'],
    ]);
    // old -> new: PSCI 1.0 is backward compatible (a gain, reported as info)
    expect(finding(rows[1])).toEqual([{ rule: 'psci-version', severity: 'info', subject: 'PSCI_VERSION' }]);
    // new -> old and compat -> old: the old kernel does not know the register, even when pinned to 0.2
    expect(finding(rows[2])).toEqual([{ rule: 'register-list', severity: 'fail', subject: 'PSCI_VERSION' }]);
    expect(finding(rows[3])).toEqual([{ rule: 'register-list', severity: 'fail', subject: 'PSCI_VERSION' }]);
    expect(rows[3]!.findings[0]!.message).toMatch(/PSCI_VERSION.* = 0\.2/);
  });

  it('vcpu feature approach: YES, YES, YES*, YES, YES', async () => {
    const rows = await table('2018-vcpu-new');
    expect(rows.map((r) => r.works)).toEqual(['YES', 'YES', 'YES*', 'YES', 'YES']);
    // new -> old migrates, but PSCI drops from 1.0 to 0.2 under the guest
    expect(finding(rows[2])).toEqual([{ rule: 'psci-version', severity: 'unsafe', subject: 'PSCI_VERSION' }]);
    expect(finding(rows[3])).toEqual([]);
    expect(finding(rows[4])).toEqual([]);
  });
});
