import { describe, expect, it } from 'vitest';
import { cli, host, shipped, writeProfile } from '../helpers.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assess } from '../../src/solver/assess.js';

describe('profile resolution', () => {
  it('produces a deeply frozen model', () => {
    const h = shipped('2018-sysreg-new');
    expect(Object.isFrozen(h)).toBe(true);
    expect(Object.isFrozen(h.kernel.psci.versions)).toBe(true);
  });

  it('merges an extends chain: the child overrides, the parent fills in', () => {
    const h = shipped('2018-vcpu-new');
    expect(h.kernel.psci).toMatchObject({ default: '1.0', pinVia: 'vcpu-feature' });
    expect(h.cpu.model).toBe('Cortex-A57'); // from 2018-old
  });

  it('resolves a full stable version to its release and applies backport overrides', () => {
    const h = host({ kernel: { version: '5.4.190', firmwareRegisters: ['KVM_REG_ARM_PSCI_VERSION', 'SMCCC_ARCH_WORKAROUND_1', '0x6030000000140002', 'SMCCC_ARCH_WORKAROUND_3'] } });
    expect(h.kernel).toMatchObject({ name: 'linux-5.4.190', release: '5.4' });
    expect(h.kernel.registers.map((r) => r.name)).toContain('SMCCC_ARCH_WORKAROUND_3');
    expect(h.kernel.sources.firmwareRegisters).toMatch(/kernel\.firmwareRegisters$/);
    // WA3 backported to 5.4.y: a 5.4.190 -> 5.16 migration now carries a register 5.16 lacks
    const verdict = assess(h, host({ kernel: 'linux-5.16' }), { name: 'default', stolenTime: 'auto' });
    expect(verdict.findings).toContainEqual(expect.objectContaining({ rule: 'register-list', subject: 'SMCCC_ARCH_WORKAROUND_3' }));
  });

  it('reports unknown registers in an override at their position', async () => {
    const file = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'x', vmm: 'qemu-9.2', cpu: 'neoverse-n1:r3p1', kernel: { extends: 'linux-6.6', firmwareRegisters: ['PSCI_VERSON'] } });
    const r = await cli('validate', file);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/:\d+:\d+: kernel\.firmwareRegisters\[0\]: unknown register 'PSCI_VERSON' \(did you mean 'PSCI_VERSION'\?\)/);
  });

  it('a missing kernel in the whole chain is an error, not a crash', async () => {
    const file = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'x', vmm: 'qemu-9.2', cpu: 'neoverse-n1:r3p1' });
    const r = await cli('check', '--from', file, '--to', file);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/:1:1: \(document\): missing required key 'kernel'/);
  });

  it('finds profiles in --profiles directories first', () => {
    const r = new Resolver(['test/fixtures/hosts']);
    expect(r.host('n1-6.6').kernel.name).toBe('linux-6.6');
  });
});

describe('other commands', () => {
  it('schema prints valid JSON Schemas', async () => {
    for (const kind of ['host', 'guest']) {
      const r = await cli('schema', kind);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).$schema).toBe('http://json-schema.org/draft-07/schema#');
    }
  });

  it('explain of an unknown rule is a usage error with a hint', async () => {
    const r = await cli('explain', 'psci-versoin');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("did you mean 'psci-version'");
  });

  it('profiles show names the source of each derived fact', async () => {
    const r = await cli('profiles', 'show', 'linux-5.19', '--format', 'json');
    expect(r.code).toBe(0);
    const facts: { fact: string; value: string; source: string }[] = JSON.parse(r.stdout).facts;
    expect(facts.find((f) => f.fact === 'registers.STD_BMAP')?.source).toMatch(/^linux 5\.19: /);
    for (const f of facts) expect(f.source.length, f.fact).toBeGreaterThan(10);
  });
});
