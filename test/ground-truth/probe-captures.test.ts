// Every lab capture reads with `probe --root DIR --kvm` into a Host profile that validates,
// and every register KVM listed there is one the catalogue knows: a new register (PMMIR_EL1
// on 7.3 was one) fails here, named by its id and encoding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../helpers.js';
import { quickParse } from '../../src/profile/quick-yaml.js';
import { KVM_FIXTURES } from '../lab/captures.js';
import { catalogueList, describeId } from '../../src/kb/reg-ids.js';
import { kvmFacts, parseKvmProbe } from '../../src/probe/kvm-output.js';
import { captures, labRun } from './lab.js';

const dirs = captures.map((c) => c.dir);
const uncatalogued = (ids: readonly string[]) => catalogueList(ids.map((r) => BigInt(r))).unknown.map((id) => describeId(BigInt(id)));

describe.skipIf(!dirs.length)('lab captures through probe --root --kvm', () => {
  it.each(dirs)('%s: probes into a Host profile, without notes of unknown registers', async (dir) => {
    const r = (await labRun()).probes.get(dir)!;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kvm: true');
    expect(r.stderr).not.toMatch(/does not catalogue/);
  });

  it.each(dirs.filter((d) => d.endsWith('-nvhe')))('%s: records kvm-arm.mode=nvhe from /proc/cmdline, which the model takes without a note', async (dir) => {
    const r = (await labRun()).probes.get(dir)!;
    expect((parse(r.stdout) as { probe: { bootOptions?: string[] } }).probe.bootOptions).toEqual(['kvm-arm.mode=nvhe']);
    expect(r.stderr).not.toMatch(/booted with/);
  });

  it('every probed profile validates', async () => {
    const run = await labRun();
    const r = await cli('validate', ...run.files.probed.values(), ...run.files.derived.values());
    expect(r.code, r.stderr + r.stdout).toBe(0);
  });

  it('every probed profile stays in the fast reader\'s subset (fleets of probed hosts load without the full parser)', async () => {
    for (const [dir, r] of (await labRun()).probes) expect(quickParse(r.stdout), dir).toEqual(parse(r.stdout, { version: '1.2', schema: 'core' }));
  });

  it.each(dirs)('%s: every register KVM lists is catalogued', (dir) => {
    const text = readFileSync(join(KVM_FIXTURES, dir, 'capture', 'kvm-probe.json'), 'utf8');
    const out = parseKvmProbe(text, dir);
    expect(uncatalogued(out.regList), `${dir} lists registers the catalogue lacks (kb/registers.yaml, kb/kernel-timeline.yaml)`).toEqual([]);
    expect(kvmFacts(out).uncatalogued).toEqual([]);
  });

  it('a register the catalogue lacks is named by id and encoding, not folded into a group', () => {
    // op0 3 op1 0 CRn 9 CRm 14 op2 7: beside PMMIR_EL1 in the PMU block, allocated to nothing KVM lists
    expect(uncatalogued(['0x603000000013c4f7', '0x603000000013c4f6', '0x603000000013c020'])).toEqual([
      '0x603000000013c4f7 (system register op0:3 op1:0 crn:9 crm:14 op2:7)',
    ]);
  });
});
