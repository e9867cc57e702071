// When KVM offers a PAuth vCPU (kb pauthOffer): address and generic authentication both, and
// from 6.10 one algorithm for both (arch/arm64/kvm/arm.c kvm_has_full_ptr_auth). The rule reads
// the host's own values (the core table's, or set by hand), as KVM reads the host's registers.
// Neither PAuth nor SVE is offered before the KVM that has its cap (kb vcpuFeatures kvmSince: 5.2).
import { describe, expect, it } from 'vitest';
import { fullPtrAuth, idState, type IdValue } from '../../src/solver/id-state.js';
import { guest, host } from '../helpers.js';

const ALL = (1n << 64n) - 1n;
// ISAR1: APA [7:4], API [11:8], GPA [27:24], GPI [31:28]; ISAR2: GPA3 [11:8], APA3 [15:12]
const isar1 = (f: { apa?: number; api?: number; gpa?: number; gpi?: number }) =>
  BigInt(((f.apa ?? 0) << 4) | ((f.api ?? 0) << 8)) | (BigInt(f.gpa ?? 0) << 24n) | (BigInt(f.gpi ?? 0) << 28n);
const isar2 = (f: { apa3?: number; gpa3?: number }) => BigInt(((f.gpa3 ?? 0) << 8) | ((f.apa3 ?? 0) << 12));
const values = (i1: bigint | undefined, i2?: bigint) =>
  new Map<string, IdValue>([...(i1 !== undefined ? [['ID_AA64ISAR1_EL1', { value: i1, known: ALL }] as const] : []), ...(i2 !== undefined ? [['ID_AA64ISAR2_EL1', { value: i2, known: ALL }] as const] : [])]);

describe('fullPtrAuth', () => {
  const rows: { name: string; v: Map<string, IdValue>; before: boolean | undefined; from610: boolean | undefined }[] = [
    { name: 'QARMA5, address and generic', v: values(isar1({ apa: 5, gpa: 1 }), 0n), before: true, from610: true },
    { name: 'IMPLEMENTATION DEFINED, both (the lab cores: API 3 or 5, GPI 1)', v: values(isar1({ api: 3, gpi: 1 })), before: true, from610: true },
    { name: 'QARMA3, both', v: values(0n, isar2({ apa3: 1, gpa3: 1 })), before: true, from610: true },
    { name: 'address only', v: values(isar1({ api: 1 }), 0n), before: false, from610: false },
    { name: 'generic only', v: values(isar1({ gpa: 1 }), 0n), before: false, from610: false },
    { name: 'none', v: values(0n, 0n), before: false, from610: false },
    { name: 'QARMA5 address, IMPLEMENTATION DEFINED generic', v: values(isar1({ apa: 5, gpi: 1 }), 0n), before: true, from610: false },
    { name: 'two algorithms, each whole', v: values(isar1({ apa: 5, gpa: 1, api: 1, gpi: 1 }), 0n), before: true, from610: false },
    // unknown where the values do not say
    { name: 'no ISAR1 value', v: values(undefined, 0n), before: undefined, from610: undefined },
    { name: 'ISAR1 without an algorithm, ISAR2 unknown (QARMA3 is in ISAR2)', v: values(0n), before: undefined, from610: undefined },
  ];
  it.each(rows)('$name', ({ v, before, from610 }) => {
    expect(fullPtrAuth(v, '6.6')).toBe(before);
    expect(fullPtrAuth(v, '6.9')).toBe(before);
    expect(fullPtrAuth(v, '6.10')).toBe(from610);
    expect(fullPtrAuth(v, '6.12')).toBe(from610);
  });
  it('a field whose bits are not all known does not decide', () => {
    expect(fullPtrAuth(new Map([['ID_AA64ISAR1_EL1', { value: isar1({ api: 3, gpi: 1 }), known: 0xfffn }]]), '6.6')).toBeUndefined();
  });
});

// Neoverse V1 as the core table has it (API 3, GPI 1) on QEMU 9.2, which turns PAuth on
const v1 = { model: 'neoverse-v1', revision: 'r1p1' };
const on = (kernel: string, idRegisters?: Record<string, string | number>) => host({ kernel, vmm: 'qemu-9.2', cpu: v1, ...(idRegisters ? { idRegisters } : {}) });
describe('the PAuth vCPU of a host whose values are set by hand', () => {
  it.each([
    { name: 'the core table: offered', h: () => on('linux-6.6'), offered: true },
    { name: 'before 5.2 (no PTRAUTH caps): not offered', h: () => on('linux-5.1'), offered: false },
    { name: 'from 5.2: offered', h: () => on('linux-5.2'), offered: true },
    { name: 'address authentication set to none: not offered, though the CPU lists PAUTH', h: () => on('linux-6.6', { 'ID_AA64ISAR1_EL1.API': 0 }), offered: false },
    { name: 'generic authentication set to none: not offered', h: () => on('linux-6.12', { 'ID_AA64ISAR1_EL1.GPI': 0 }), offered: false },
    { name: 'QARMA5 address beside IMPLEMENTATION DEFINED generic on 6.6: offered', h: () => on('linux-6.6', { 'ID_AA64ISAR1_EL1.API': 0, 'ID_AA64ISAR1_EL1.APA': 5 }), offered: true },
    { name: 'the same on 6.12: not offered (one algorithm from 6.10)', h: () => on('linux-6.12', { 'ID_AA64ISAR1_EL1.API': 0, 'ID_AA64ISAR1_EL1.APA': 5 }), offered: false },
  ])('$name', ({ h, offered }) => {
    const s = idState({ host: h(), guest: guest() });
    expect(s.offered.pauth).toBe(offered);
    expect(s.vcpu.pauth).toBe(offered);
  });
});

describe('the SVE vCPU', () => {
  it.each([
    { kernel: 'linux-5.1', offered: false },
    { kernel: 'linux-5.2', offered: true },
    { kernel: 'linux-6.6', offered: true },
  ])('on $kernel: offered $offered', ({ kernel, offered }) => {
    const s = idState({ host: on(kernel), guest: guest() });
    expect(s.offered.sve).toBe(offered);
    expect(s.vcpu.sve).toBe(offered);
  });
});
