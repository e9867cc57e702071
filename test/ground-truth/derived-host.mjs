// The version-derived Host document of one lab capture: linux-<version>, the captured MIDR, the
// CPU model's features, mitigations and ID-register inputs from cpu-models.yaml, and the boot
// options of the capture's kvm-arm.mode. Plain JS so that scripts/agreement.mjs (the README
// figures) and test/ground-truth/lab.ts (the tests) build the same profile.
export const BOOT_OPTIONS = { nvhe: ['kvm-arm.mode=nvhe'], protected: ['kvm-arm.mode=protected'] };

const MIDR_EL1 = '0x603000000013c000';

export function derivedHost(dir, lab, dump, model) {
  const features = model?.features ?? [];
  return {
    apiVersion: 'migcheck/v1',
    kind: 'Host',
    name: `${dir}-derived`,
    kernel: `linux-${lab.kernel}`,
    ...(BOOT_OPTIONS[lab.mode] ? { bootOptions: BOOT_OPTIONS[lab.mode] } : {}),
    vmm: 'qemu-10.0',
    cpu: { midr: `0x${BigInt(dump.values[MIDR_EL1]).toString(16).padStart(8, '0')}`, ...(features.length ? { features } : {}) },
    ...(model?.mitigations ? { mitigations: model.mitigations } : {}),
    ...(model?.idRegisters ? { idRegisters: model.idRegisters } : {}),
  };
}
