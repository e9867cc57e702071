// kb/id-registers.yaml bootOverrideFields: the explicit overrides idreg-override.c parses, each
// from its release, agree with the register and field tables and with the alias entries.
import { describe, expect, it } from 'vitest';
import { applies, bootOptionFacts, bootOverrideFacts, isIdRegister, overrideOf, parseFieldRef } from '../../src/kb/id-registers.js';
import { compareVersions } from '../../src/kb/version.js';

// fields the register tables do not name (no model of SME, GCS or NV_frac): their overrides change no value
const UNMODELLED = new Set(['ID_AA64SMFR0_EL1.FA64', 'ID_AA64SMFR0_EL1.SMEver', 'ID_AA64MMFR4_EL1.NV_frac', 'ID_AA64PFR1_EL1.GCS']);

describe('bootOverrideFields', () => {
  const entries = bootOverrideFacts();

  it('names each override once, as <table>.<field> of the register and field it sets', () => {
    expect(new Set(entries.map((e) => e.override)).size).toBe(entries.length);
    for (const e of entries) {
      const [table, field] = e.override.split('.');
      const [reg, name] = e.field.split('.');
      expect(isIdRegister(reg!), e.field).toBe(true);
      expect(`ID_${table!.slice(3).toUpperCase()}_EL1`, e.override).toBe(reg);
      expect(name!.toLowerCase(), e.override).toBe(field);
    }
  });

  it('resolves every field the register tables name', () => {
    for (const e of entries) expect(parseFieldRef(e.field) !== undefined, e.field).toBe(!UNMODELLED.has(e.field));
  });

  it('starts no override before the feature-override mechanism (5.12)', () => {
    for (const e of entries) expect(compareVersions(e.since, '5.12'), e.override).toBeGreaterThanOrEqual(0);
  });

  it('gives an explicit override listed as a boot option no earlier start than its field', () => {
    for (const b of bootOptionFacts()) {
      const p = overrideOf(b.option);
      if (!b.option.startsWith('id_')) continue;
      expect(p, b.option).toBeDefined();
      expect(compareVersions(b.since ?? '0', p!.entry.since), b.option).toBeGreaterThanOrEqual(0);
    }
  });

  it('parses an override from its release on, and options no kernel has never', () => {
    const sve = overrideOf('id_aa64pfr0.sve=0')!;
    expect(applies('5.15', sve.entry)).toBe(false);
    expect(applies('6.0', sve.entry)).toBe(true);
    expect(sve.value).toBe(0n);
    expect(overrideOf('id_aa64dfr0.pmuver=4')).toBeUndefined();
    expect(overrideOf('arm64.nosve')).toBeUndefined();
  });

  it('reads the value as the release does: a C integer before 6.8, one hex digit from 6.8', () => {
    const v = (o: string, r?: string) => overrideOf(o, r)?.value;
    expect(v('id_aa64pfr0.sve=00', '6.6')).toBe(0n);
    expect(v('id_aa64pfr0.sve=00', '6.7')).toBe(0n);
    expect(v('id_aa64pfr0.sve=00', '6.8')).toBeUndefined();
    expect(v('id_aa64pfr1.bt=010', '6.6')).toBe(8n); // kstrtou64 base 0: octal
    expect(v('id_aa64pfr1.bt=010', '6.12')).toBeUndefined();
    expect(v('id_aa64pfr0.el0=0x1', '6.12')).toBe(1n);
    expect(v('id_aa64pfr0.el0=0X1', '6.6')).toBe(1n);
    expect(v('id_aa64pfr0.el0=a', '6.12')).toBe(10n);
    expect(v('id_aa64pfr0.el0=a', '6.6')).toBeUndefined();
    expect(v('id_aa64pfr0.el0=0x10', '6.12')).toBeUndefined();
    expect(v('id_aa64pfr0.el0=', '6.12')).toBeUndefined();
    expect(v('id_aa64pfr0.el0=0x', '6.6')).toBeUndefined();
    // without a release: as any release that accepts it
    expect(v('id_aa64pfr0.el0=a')).toBe(10n);
    expect(v('id_aa64pfr0.el0=010')).toBe(8n);
  });

  it("matches '-' as '_' in the option (both spellings are one option to the kernel)", () => {
    expect(overrideOf('id-aa64pfr0.sve=0', '6.6')?.entry.override).toBe('id_aa64pfr0.sve');
    expect(overrideOf('id_aa64mmfr1.vh=0', '5.12')?.entry.override).toBe('id_aa64mmfr1.vh');
  });
});
