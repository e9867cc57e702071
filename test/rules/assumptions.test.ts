import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ruleTable } from './table.js';
import type { HostSpec } from '../helpers.js';

// the Ubuntu 22.04 Altra host as `migcheck probe` wrote it (upstream 5.15.167 from /proc/version_signature)
const probedUbuntu = parse(readFileSync('test/fixtures/hosts/altra-n1-ubuntu-5.15/expected/host.yaml', 'utf8')) as HostSpec;

// a Graviton2 (EC2 c6g) host as `migcheck probe` writes it: the MIDR read from sysfs
const probedGraviton2: HostSpec = {
  name: 'c6g-probed',
  kernel: { version: '6.6.0' },
  cpu: { midr: '0x413fd0c1', revidr: '0x0' },
  probe: { kvm: false, evidence: { cpu: '/sys/devices/system/cpu/cpu0-63/regs/identification (Neoverse-N1 r3p1)' } },
};

// what `migcheck probe --kvm` records of a host's ID registers (values illustrative, not a real TSV110's)
const probedTsv110 = { kvm: true, vcpuFeatures: ['PSCI_0_2', 'PMU_V3'], registerValues: { ID_AA64DFR0_EL1: '0x10305106', ID_AA64MMFR1_EL1: '0x10212122' } };

ruleTable('assumptions', [
  {
    name: 'graviton2 is read as the Neoverse-N1 r3p1 it ships: onto a probed Graviton2 it is clean, and says which revision it assumed',
    from: { kernel: 'linux-6.6', cpu: 'graviton2' },
    to: probedGraviton2,
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'cpu.revision' }],
  },
  {
    name: 'a bare core name is read as r0p0 and says so: onto the probed r3p1 the MIDR differs (cpu-identity fails on 6.6)',
    from: { kernel: 'linux-6.6', cpu: 'neoverse-n1' },
    to: probedGraviton2,
    verdict: 'fail',
    expect: [{ severity: 'info', subject: 'cpu.revision' }],
  },
  {
    // no public MIDR report of an Altra Max was found: the recalled r3p1 is used and named
    name: 'a product whose shipped revision is only recalled (ampere-altra-max) still says which revision it assumed',
    from: { kernel: 'linux-6.6', cpu: 'ampere-altra-max' },
    to: probedGraviton2,
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'cpu.revision' }],
  },
  {
    name: 'a product with its revision given, or a MIDR, assumes nothing',
    from: { kernel: 'linux-6.6', cpu: { model: 'graviton2', revision: 'r3p1' } },
    to: probedGraviton2,
    verdict: 'clean',
    none: true,
  },
  {
    name: 'an Ubuntu release name to a probed Ubuntu host: the assumption is named, no register is claimed missing',
    from: { kernel: '5.15.0-91-generic', vmm: 'qemu-6.2' },
    to: probedUbuntu,
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.version' }],
  },
  {
    name: 'a RHEL release name is read as mainline 5.14.0, and says so',
    from: { kernel: '5.14.0-427.el9.aarch64' },
    to: { kernel: 'linux-5.14' },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.version' }],
  },
  {
    name: 'a Debian ABI name (cloud flavour) on both sides: one finding per side',
    from: { kernel: '6.1.0-13-cloud-arm64' },
    to: { kernel: 'linux-6.1.0-13-arm64' },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.version' }],
  },
  {
    name: 'the same release with upstream given assumes nothing, and takes 5.15.131\'s backports',
    // the probed host's QEMU 6.2 on both sides: a guest defined on 9.2 could not go to it (machine-type)
    from: { kernel: { version: '5.15.0-91-generic', upstream: '5.15.131' }, vmm: 'qemu-6.2' },
    to: probedUbuntu,
    verdict: 'clean',
    none: true,
  },
  {
    name: 'a Debian package version names its upstream (6.1.192-3 is 6.1.192): nothing assumed',
    from: { kernel: '6.1.192-3' },
    to: { kernel: 'linux-6.1.192' },
    verdict: 'clean',
    none: true,
  },
  {
    name: 'mainline and stable names assume nothing',
    from: { kernel: 'linux-6.6' },
    to: { kernel: '6.6.80' },
    verdict: 'clean',
    none: true,
  },
  // ID-register values of cores neither a public source nor the lab confirmed (kb/id-registers.yaml)
  {
    name: 'Kunpeng 920 (TSV110): its ID-register values are recalled, and each side says so',
    from: { kernel: 'linux-6.6', cpu: { model: 'kunpeng-920', revision: 'r1p0' } },
    to: { kernel: 'linux-6.6', cpu: { model: 'kunpeng-920', revision: 'r1p0' } },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'cpu.idRegisters' }],
  },
  {
    name: 'Graviton 4 (Neoverse V2, recalled) onto Grace: the DebugVer rollback failure rests on recalled values',
    from: { kernel: 'linux-6.12', cpu: { model: 'graviton4', revision: 'r0p1' } },
    to: { kernel: 'linux-6.6', cpu: { model: 'grace', revision: 'r0p0' } },
    verdict: 'fail',
    expect: [{ severity: 'info', subject: 'cpu.idRegisters' }],
  },
  {
    name: 'AmpereOne A192 (Ampere1A) is read with the AmpereOne entry, recalled',
    from: { kernel: 'linux-6.6', cpu: { model: 'ampereone-a192', revision: 'r0p0' } },
    to: { kernel: 'linux-6.6', cpu: { model: 'ampereone-a192', revision: 'r0p0' } },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'cpu.idRegisters' }],
  },
  {
    // was 'inferred, said' until the lab captured cortex-a76 (test/fixtures/kvm/cortex-a76-*)
    name: 'a Cortex-A76 (values checked on real kernels in the lab) assumes nothing',
    from: { kernel: 'linux-6.6', cpu: { model: 'cortex-a76', revision: 'r4p1' } },
    to: { kernel: 'linux-6.6', cpu: { model: 'cortex-a76', revision: 'r4p1' } },
    verdict: 'clean',
    none: true,
  },
  {
    name: 'a Neoverse V1 (values checked on real kernels in the lab) assumes nothing',
    from: { kernel: 'linux-6.6', cpu: { model: 'neoverse-v1', revision: 'r1p1' } },
    to: { kernel: 'linux-6.6', cpu: { model: 'neoverse-v1', revision: 'r1p1' } },
    verdict: 'clean',
    none: true,
  },
  {
    name: 'a TSV110 host probed with --kvm is compared on its own values: nothing assumed',
    from: { kernel: 'linux-6.6', cpu: { model: 'kunpeng-920', revision: 'r1p0' }, probe: probedTsv110 },
    to: { kernel: 'linux-6.6', cpu: { model: 'kunpeng-920', revision: 'r1p0' }, probe: probedTsv110 },
    verdict: 'clean',
    none: true,
  },
  {
    // 5.15's idreg-override.c has no id_aa64pfr0 table (from 6.0): the stated override is ignored, and said
    name: 'an ID-register override the kernel does not parse (id_aa64pfr0.sve=0 on 5.15) is read as not given and said',
    from: { kernel: 'linux-5.15', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, bootOptions: ['id_aa64pfr0.sve=0'] },
    to: { kernel: 'linux-5.15', cpu: { model: 'neoverse-v1', revision: 'r1p1' } },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'idRegisters.bootOptions' }],
  },
  {
    name: 'the same override on 6.6, which parses it, assumes nothing',
    from: { kernel: 'linux-6.6', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, bootOptions: ['id_aa64pfr0.sve=0'] },
    to: { kernel: 'linux-6.6', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, bootOptions: ['id_aa64pfr0.sve=0'] },
    verdict: 'clean',
    none: true,
  },
  {
    // from 6.8 the value is one hex digit (after an optional 0x): 00 is no override there, and said
    name: 'an override whose value the kernel does not read (id_aa64pfr0.sve=00 on 6.12) is read as not given and said',
    from: { kernel: 'linux-6.12', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, bootOptions: ['id_aa64pfr0.sve=00'] },
    to: { kernel: 'linux-6.12', cpu: { model: 'neoverse-v1', revision: 'r1p1' } },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'idRegisters.bootOptions' }],
  },
  {
    name: 'a dash for an underscore is the same override (id-aa64pfr0.sve=0 on 6.6 and on 6.12): nothing assumed',
    from: { kernel: 'linux-6.6', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, bootOptions: ['id-aa64pfr0.sve=0'] },
    to: { kernel: 'linux-6.12', cpu: { model: 'neoverse-v1', revision: 'r1p1' }, bootOptions: ['id_aa64pfr0.sve=0'] },
    verdict: 'clean',
    none: true,
  },
]);
