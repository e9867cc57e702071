// KVM ONE_REG ids of arm64 (arch/arm64/include/uapi/asm/kvm.h, Documentation/virt/kvm/api.rst
// "ARM64 registers are mapped using the lower 32 bits"): decode an id, and map a
// KVM_GET_REG_LIST answer onto the register catalogue the rules compare.
import { canonicalRegister, isRawId, registerOrder } from './registers.js';

const COPROC = { core: 0x10, demux: 0x11, sysreg: 0x13, firmware: 0x14, sve: 0x15, bitmap: 0x16 } as const;
type IdClass = keyof typeof COPROC | 'other';

interface DecodedId {
  readonly id: bigint;
  readonly class: IdClass;
  /** (op0, op1, CRn, CRm, op2) for system registers */
  readonly encoding?: readonly [number, number, number, number, number];
  /** the low 16 bits: firmware/bitmap register number, DEMUX index */
  readonly index: number;
}

export const hexId = (id: bigint) => `0x${id.toString(16).padStart(16, '0')}`;

export function decodeId(id: bigint): DecodedId {
  const coproc = Number((id >> 16n) & 0xfffn);
  const cls = (Object.entries(COPROC).find(([, c]) => c === coproc)?.[0] ?? 'other') as IdClass;
  const low = Number(id & 0xffffn);
  if (cls !== 'sysreg') return { id, class: (id >> 56n) === 0x60n ? cls : 'other', index: low };
  const enc = [(low >> 14) & 3, (low >> 11) & 7, (low >> 7) & 15, (low >> 3) & 15, low & 7] as const;
  return { id, class: cls, encoding: enc, index: low };
}

/** How a raw id reads in messages: QEMU's "op0:3 op1:0 crn:2 crm:0 op2:3" form for system registers. */
export function describeId(id: bigint): string {
  const d = decodeId(id);
  if (d.encoding) {
    const [op0, op1, crn, crm, op2] = d.encoding;
    return `${hexId(id)} (system register op0:${op0} op1:${op1} crn:${crn} crm:${crm} op2:${op2})`;
  }
  return `${hexId(id)} (${d.class === 'other' ? 'unknown register class' : `${d.class} register ${d.index}`})`;
}

const encKey = (e: readonly number[]) => e.join(',');

/**
 * A plain-word name for any ONE_REG id, one to one: the Arm generic name S<op0>_<op1>_C<n>_C<m>_<op2>
 * for a system register, FW_<n> / FW_FEAT_<n> for firmware and bitmap registers, DEMUX_CCSIDR_<n>,
 * else REG_<id> (catalogue names are the caller's: this knows encodings only).
 */
export function genericName(id: bigint): string {
  const d = decodeId(id);
  if (d.encoding) {
    const [op0, op1, crn, crm, op2] = d.encoding;
    return `S${op0}_${op1}_C${crn}_C${crm}_${op2}`;
  }
  if (d.class === 'firmware') return `FW_${d.index}`;
  if (d.class === 'bitmap') return `FW_FEAT_${d.index}`;
  if (d.class === 'demux') return `DEMUX_CCSIDR_${d.index & 0xff}`;
  return `REG_${hexId(id)}`;
}

// Group members recognised by one representative register: the ID space by
// ID_AA64PFR0_EL1 (3,0,0,4,0), the PMU registers by PMCNTENSET_EL0 (3,3,9,12,1).
const GROUP_BY_REPRESENTATIVE = new Map([
  [encKey([3, 0, 0, 4, 0]), 'ID_REG_SPACE'],
  [encKey([3, 3, 9, 12, 1]), 'PMU_REGS'],
]);
// Group members by exact encoding, never by range: a range would fold a new register
// (PMMIR_EL1, CRn 9 CRm 14 op2 6, listed from 7.3) into a group and hide it.
// ID space: every op0=3 op1=0 CRn=0 CRm=1..7 op2=0..7 slot, allocated or not (55 besides ID_AA64ZFR0_EL1)
const ID_SPACE = new Set(
  Array.from({ length: 56 }, (_x, i) => encKey([3, 0, 0, 1 + (i >> 3), i & 7])).filter((k) => k !== encKey([3, 0, 0, 4, 4])),
);
// PMUv3 (73): PMINTENSET/CLR_EL1; PMCNTENSET/CLR, PMOVSCLR, PMSWINC, PMSELR, PMCCNTR, PMUSERENR, PMOVSSET_EL0;
// PMEVCNTR<n>_EL0 (CRn 14 CRm 8+n/8) and PMEVTYPER<n>_EL0 (CRm 12+n/8), n = 0..30; PMCCFILTR_EL0
const PMU = new Set([
  [3, 0, 9, 14, 1], [3, 0, 9, 14, 2],
  [3, 3, 9, 12, 1], [3, 3, 9, 12, 2], [3, 3, 9, 12, 3], [3, 3, 9, 12, 4], [3, 3, 9, 12, 5],
  [3, 3, 9, 13, 0], [3, 3, 9, 14, 0], [3, 3, 9, 14, 3],
  ...Array.from({ length: 31 }, (_x, n) => [3, 3, 14, 8 + (n >> 3), n & 7]),
  ...Array.from({ length: 31 }, (_x, n) => [3, 3, 14, 12 + (n >> 3), n & 7]),
  [3, 3, 14, 15, 7],
].map(encKey));
const isIdSpace = (e: readonly number[]) => ID_SPACE.has(encKey(e));
const isPmu = (e: readonly number[]) => PMU.has(encKey(e));

// Registers every kernel 4.14..6.18 lists for a default vCPU (the 4.14 baseline
// of kb/kernel-timeline.yaml): not catalogued because presence never differs; a probed list drops them.
const BASELINE = new Set(
  [
    [3, 0, 0, 0, 5], [3, 1, 0, 0, 1], [3, 3, 0, 0, 1], // MPIDR, CLIDR, CTR
    [2, 0, 0, 2, 0], [2, 0, 0, 2, 2], [2, 4, 0, 7, 0], // MDCCINT, MDSCR, DBGVCR32
    [3, 0, 1, 0, 0], [3, 0, 1, 0, 1], [3, 0, 1, 0, 2], // SCTLR, ACTLR, CPACR
    [3, 0, 2, 0, 0], [3, 0, 2, 0, 1], [3, 0, 2, 0, 2], // TTBR0, TTBR1, TCR
    [3, 0, 5, 1, 0], [3, 0, 5, 1, 1], [3, 0, 5, 2, 0], [3, 0, 6, 0, 0], [3, 0, 7, 4, 0], // AFSR0/1, ESR, FAR, PAR
    [3, 0, 10, 2, 0], [3, 0, 10, 3, 0], [3, 0, 12, 0, 0], [3, 0, 13, 0, 1], [3, 0, 13, 0, 4], // MAIR, AMAIR, VBAR, CONTEXTIDR, TPIDR_EL1
    [3, 0, 14, 1, 0], [3, 2, 0, 0, 0], [3, 3, 13, 0, 2], [3, 3, 13, 0, 3], // CNTKCTL, CSSELR, TPIDR_EL0, TPIDRRO_EL0
    [3, 4, 3, 0, 0], [3, 4, 5, 0, 1], [3, 4, 5, 3, 0], // DACR32, IFSR32, FPEXC32
    [3, 3, 14, 3, 1], [3, 3, 14, 3, 2], [3, 3, 14, 0, 2], // virtual timer CTL, CNT, CVAL (ids as KVM swaps them)
  ].map(encKey),
);
const isBaseline = (e: readonly number[]) =>
  BASELINE.has(encKey(e)) || (e[0] === 2 && e[1] === 0 && e[2] === 0 && e[4]! >= 4); // DBGBVR/BCR/WVR/WCR<n>

interface CataloguedList {
  /** catalogue names (groups included) and raw ids of uncatalogued registers, firmware ones first */
  readonly firmware: readonly string[];
  readonly system: readonly string[];
  /** uncatalogued ids kept raw (a new register the knowledge base does not know) */
  readonly unknown: readonly string[];
}

/** Map a KVM_GET_REG_LIST answer onto catalogue names; core and SVE registers are not migrated by cpreg and are dropped. */
export function catalogueList(ids: readonly bigint[]): CataloguedList {
  const firmware: string[] = [];
  const system = new Set<string>();
  const unknown: string[] = [];
  let demux = 0;
  const keep = (d: DecodedId, name: string) => (d.class === 'firmware' || d.class === 'bitmap' ? firmware.push(name) : system.add(name));
  for (const id of ids) {
    const d = decodeId(id);
    if (d.class === 'core' || d.class === 'sve') continue;
    if (d.class === 'demux') {
      demux++;
      continue;
    }
    const known = canonicalRegister(hexId(id));
    if (known && !isRawId(known)) {
      keep(d, known);
      continue;
    }
    const e = d.encoding;
    if (e) {
      const group = GROUP_BY_REPRESENTATIVE.get(encKey(e));
      if (group) system.add(group);
      if (group || isIdSpace(e) || isPmu(e) || isBaseline(e)) continue;
    }
    unknown.push(hexId(id));
    keep(d, hexId(id));
  }
  // DEMUX CCSIDR: pre-6.3 only the host's caches, 6.3+ all CSSELR_MAX (14) indices
  if (demux) system.add('DEMUX_CCSIDR_HOST');
  if (demux >= 14) system.add('DEMUX_CCSIDR_REST');
  return { firmware, system: [...system].sort(registerOrder), unknown };
}
