// ID-register values: QEMU writes every listed ID register, CLIDR_EL1, CTR_EL0 and the
// CCSIDR demux back on the destination, and KVM judges each field by its own rule for it
// (kb/id-registers.yaml `acceptance`). The values come from src/solver/id-state.ts; this
// rule only compares them.
import { acceptanceEra, acceptanceEraNumber, acceptanceLevel, eraRelease, fieldMask, fieldsOf, hostJudged, ID_REGISTERS, isDemux, judgeTable, sveFacts, type Judge } from '../kb/id-registers.js';
import type { IdState, IdValue } from '../solver/id-state.js';
import type { VmState } from '../solver/vm-state.js';
import { defineRule, hostOf, say, sharedFinding, token, type FindingInput } from './rule.js';

const REF_QEMU = 'QEMU target/arm/machine.c cpu_post_load -> write_list_to_kvmstate: every cpreg is written back, a refused KVM_SET_ONE_REG fails the load';
const REF_67 = 'KVM/arm64 updates for 6.7: generalized framework for configurable ID registers (writable fields, KVM_ARM_GET_REG_WRITABLE_MASKS)';

// a register QEMU migrates only when both kernels list it (register-list reports the rest):
// each register needs one of a state's listing flags (listedFlags), ALWAYS for CLIDR_EL1, CTR_EL0
const ALWAYS = 16;
function need(reg: string): number {
  if (reg === 'CLIDR_EL1' || reg === 'CTR_EL0') return ALWAYS;
  if (reg === 'ID_AA64ZFR0_EL1') return 2;
  if (isDemux(reg)) return Number(reg.slice(13)) < 3 ? 4 : 8;
  return 1;
}
// the flags read only the list, which hosts of one kernel share (vm-state.ts listedOf)
const flagsOf = new WeakMap<ReadonlySet<string>, number>();
function listedFlags(s: VmState): number {
  let f = flagsOf.get(s.listed);
  if (f === undefined) {
    const l = s.listed;
    f = ALWAYS | (+l.has('ID_REG_SPACE') | (+l.has('ID_AA64ZFR0_EL1') << 1) | (+l.has('DEMUX_CCSIDR_HOST') << 2) | (+l.has('DEMUX_CCSIDR_REST') << 3));
    flagsOf.set(l, f);
  }
  return f;
}

const hexOf = (v: bigint) => `0x${v.toString(16)}`;
const signedOf = (v: bigint) => (v >= 8n ? v - 16n : v);

// host: KVM ignores a written value equal to the host's own (MPAM, hidden from the guest), else exact
function refused(judge: Judge, src: bigint, dst: bigint, signed: boolean, host: bigint | undefined): boolean {
  // geometry: no field on its own, the whole value against CTR_EL0 (clidrGeometry)
  if (judge === 'accept' || judge === 'geometry') return false;
  if (judge === 'exact') return src !== dst;
  if (judge === 'host') return src !== dst && src !== host;
  return signed ? signedOf(src) > signedOf(dst) : src > dst;
}

const RULE_TEXT: Record<Judge, (d: string, signed: boolean) => string> = {
  exact: (d) => `accepts only its own ${d}`,
  lower: (d, signed) => `accepts a value up to its own ${d} (a writable, lower-safe${signed ? ' signed field: 0x8-0xf are below 0' : ' field'})`,
  accept: () => 'accepts any value',
  host: (d) => `accepts only its own ${d} or the host CPU's own value (which it ignores)`,
  geometry: () => 'accepts any consistent cache geometry',
};

// CLIDR_EL1 judged 'geometry' (6.3 on): set_clidr refuses RES0 bits, and a geometry implying
// IDC (LoC 0, or LoUIS and LoUU 0) where CTR_EL0.IDC is 0; QEMU writes CLIDR_EL1 before CTR_EL0,
// so that is the destination's own CTR_EL0
const CLIDR_RES0 = ~((1n << 47n) - 1n) & ((1n << 64n) - 1n);
const LOUIS = 7n << 21n;
const LOC = 7n << 24n;
const LOUU = 7n << 27n;
const IDC = 1n << 28n;
// CLIDR_EL1's judgement by release (compare runs once per distinct pair of states: no key string each time)
const clidrJudged = new Map<string, ReturnType<typeof judgeTable>[number]>();
function clidrGeometry(src: VmState, dst: VmState, release: string): FindingInput[] {
  const a = src.id.regs.get('CLIDR_EL1');
  if (!a) return [];
  let judged = clidrJudged.get(release);
  if (!judged) clidrJudged.set(release, (judged = judgeTable(release, 'CLIDR_EL1')[0]!));
  if (judged.judge !== 'geometry') return [];
  const ctr = dst.id.regs.get('CTR_EL0');
  const levels = LOUIS | LOC | LOUU;
  const res0 = a.value & a.known & CLIDR_RES0;
  const impliesIdc = (a.known & levels) === levels && (!(a.value & LOC) || !(a.value & (LOUIS | LOUU)));
  // a destination whose CTR_EL0 the data does not state is not judged on IDC
  const noIdc = ctr !== undefined && (ctr.known & IDC) !== 0n && !(ctr.value & IDC);
  if (!res0 && !(impliesIdc && noIdc)) return [];
  const why = res0 ? `sets RES0 bits (${hexOf(res0)})` : 'implies IDC (LoC 0, or LoUIS and LoUU 0)';
  const tail = res0 ? '' : ` while its CTR_EL0.IDC is 0`;
  // stamped as registerFindings stamps its own
  return [
    sharedFinding(ID, {
      severity: 'fail',
      subject: 'CLIDR_EL1',
      message: say((_s, d) => `CLIDR_EL1: the source guest saw ${hexOf(a.value)}, which ${why}; ${d.kernel.name} refuses that geometry${tail}, so KVM_SET_ONE_REG(CLIDR_EL1) fails and QEMU abandons the incoming migration`),
      note: `CLIDR_EL1 ${hexOf(a.value)} refused${tail ? ' (CTR_EL0.IDC 0)' : ''}`,
      reference: judged.entry.reference,
      side: 'destination',
    }),
  ];
}

interface RegCell {
  readonly reg: string;
  /** the listing flag both sides need (listedFlags) */
  readonly need: number;
  /** registerFindings' number for it */
  readonly n: number;
  readonly value: IdValue;
  /** valueId(value) */
  readonly id: number;
  /** whether any judge of it reads the host's own value (judge 'host') */
  readonly hostRead: boolean;
}
const regNumbers = new Map<string, number>();
const inOrder = new WeakMap<ReadonlyMap<string, IdValue>, readonly RegCell[]>();
const regsInOrder = (s: VmState) => {
  const regs = s.id.regs;
  let l = inOrder.get(regs);
  if (!l) {
    const demux = [...regs.keys()].filter(isDemux).sort((a, b) => Number(a.slice(13)) - Number(b.slice(13)));
    l = [...ID_REGISTERS.filter((r) => regs.has(r)), ...demux].map((reg) => {
      let n = regNumbers.get(reg);
      if (n === undefined) regNumbers.set(reg, (n = regNumbers.size));
      const value = regs.get(reg)!;
      return { reg, need: need(reg), n, value, id: valueId(value), hostRead: hostJudged(reg) };
    });
    inOrder.set(regs, l);
  }
  return l;
};

// equal states, or a side with no values: the memo key's `none` and the unmemoised check agree
const nothingToCompare = ({ src, dst }: { src: VmState; dst: VmState }) => src.id === dst.id || src.id.source === 'none' || dst.id.source === 'none';

const ID = 'id-registers';

export default defineRule({
  id: ID,
  description:
    'The destination kernel must accept every ID-register value the source guest saw: before 6.7 only its own values (a few fields excepted), from 6.7 lower values of writable fields.',
  references: [REF_QEMU, 'arch/arm64/kvm/sys_regs.c set_id_reg ("This is what we mean by invariant: you can\'t change it.")', REF_67, 'QEMU target/arm/kvm.c kvm_arm_sve_set_vls (KVM_REG_ARM64_SVE_VLS before finalising); target/arm/cpu64.c arm_cpu_sve_finalize', 'kb/id-registers.yaml (cores, exposure, acceptance, sveVectorLengths)'],
  key: {
    reads: ['id', 'listed'],
    none: nothingToCompare,
    src: (s) => `${valuesKey(s.id)} ${listedKey(s)}`,
    // judgeOf reads the destination release only through the acceptance entries in force
    dst: (s) => `${valuesKey(s.id)} ${listedKey(s)} ${acceptanceEra(acceptanceLevel(hostOf(s).kernel))}`,
  },
  check({ src, dst }) {
    return nothingToCompare({ src, dst }) ? [] : compare(src, dst);
  },
});

const listedKey = (s: VmState) => listedFlags(s);

// what compare reads of an ID state: its values (in a fixed order) and SVE lengths; the value
// maps are shared by hosts of one profile (id-state.ts), so each is written out once
const valuesKeys = new WeakMap<IdState, string>();
const mapKeys = new WeakMap<ReadonlyMap<string, IdValue>, string>();
const hostKeys = new WeakMap<ReadonlyMap<string, IdValue>, string>();
const entry = ([r, v]: [string, IdValue]) => `${r}=${v.value.toString(16)}/${v.known.toString(16)}`;
function valuesKey(id: IdState): string {
  let k = valuesKeys.get(id);
  if (k === undefined) {
    let regs = mapKeys.get(id.regs);
    if (regs === undefined) mapKeys.set(id.regs, (regs = [...id.regs].map(entry).sort().join(',')));
    // the host's own values matter only where a judge reads them (judge 'host')
    let host = hostKeys.get(id.host);
    if (host === undefined) hostKeys.set(id.host, (host = [...id.host].filter(([r]) => hostJudged(r)).map(entry).sort().join(',')));
    valuesKeys.set(id, (k = token(`${regs} ${JSON.stringify(id.sve ?? null)} ${host}`)));
  }
  return k;
}

const bits = (l: readonly number[]) => l.join(', ');

// SVE vector lengths: each side's QEMU sets its own with KVM_REG_ARM64_SVE_VLS (kb sveVectorLengths)
function sveLengths(src: VmState, dst: VmState): FindingInput[] {
  const a = src.id.sve;
  const b = dst.id.sve;
  if (!a || !b) return [];
  const reference = `${sveRef('pinned')}; ${b.reference}`;
  if (b.pinned) {
    const missing = b.vcpu.filter((l) => !b.host.includes(l));
    const max = b.vcpu[b.vcpu.length - 1] ?? 0;
    const gaps = b.host.filter((l) => l < max && !b.vcpu.includes(l));
    if (!missing.length && !gaps.length) return [];
    const why = (d: { name: string }) =>
      missing.length
        ? `${d.name} offers ${bits(b.host)} bits only, so QEMU refuses sve${missing.join(', sve')} at start-up`
        : `with KVM QEMU needs every smaller length ${d.name} offers enabled too (${bits(gaps)})`;
    return [{ severity: 'fail', subject: 'cpu.sveVectorLengths', message: say((_s, d) => `the Guest pins SVE vector lengths ${bits(b.vcpu)}; ${why(d)}, and the incoming migration has no destination`), note: `SVE ${bits(missing.length ? missing : gaps)} not settable`, reference, side: 'destination' }];
  }
  const lost = a.vcpu.filter((l) => !b.vcpu.includes(l));
  if (!lost.length && a.vcpu.length === b.vcpu.length) return [];
  const ref = `${sveRef('default')}; ${sveRef('stream')}`;
  if (lost.length && Math.max(...lost) > Math.max(...b.vcpu))
    return [{ severity: 'unsafe', subject: 'sveVectorLengths', message: say((_s, d) => `the guest booted with SVE vector lengths ${bits(a.vcpu)} bits; ${d.name}'s QEMU sets its own host's ${bits(b.vcpu)} (no sve<N> pinned), the stream carries no vector length, so the guest's vectors shrink under it (${bits(lost)} lost). Pin a common set in the Guest (cpu.sveVectorLengths)`), note: `SVE ${bits(lost)} lost`, reference: ref, side: 'destination' }];
  return [{ severity: 'info', subject: 'sveVectorLengths', message: say((_s, d) => `the guest booted with SVE vector lengths ${bits(a.vcpu)} bits and gets ${bits(b.vcpu)} on ${d.name}; it keeps using the lengths it probed at boot`), note: 'SVE lengths differ', reference: ref, side: 'destination' }];
}
const sveRef = (fact: string) => sveFacts().find((f) => f.fact === fact)?.reference ?? '';

interface FieldCell {
  readonly name: string;
  readonly shift: bigint;
  readonly mask: bigint;
  readonly signed: boolean;
  readonly subject: string;
}
// each register's fields with their masks, once (compare runs for every distinct pair of value sets)
const fieldTables = new Map<string, readonly FieldCell[]>();
function fieldTable(reg: string): readonly FieldCell[] {
  let t = fieldTables.get(reg);
  if (!t) {
    const demux = isDemux(reg);
    t = fieldsOf(reg).map((f) => ({ name: f.name, shift: BigInt(f.shift), mask: fieldMask(reg, f), signed: f.signed, subject: demux ? reg : `${reg}.${f.name}` }));
    fieldTables.set(reg, t);
  }
  return t;
}

// the destination host's own value of a field, when the data states it
function hostField(h: IdValue | undefined, mask: bigint, shift: bigint): bigint | undefined {
  return h && (h.known & mask) === mask ? (h.value & mask) >> shift : undefined;
}

// compare runs once per distinct pair of ID states (the rule's key), but one register's
// comparison reads only its two values, the destination's release and the destination host's
// own value: a fleet meets the same register pairs in hundreds of state pairs, so each is
// judged once (values numbered by content; bigints are Map keys by value)
const valueIds = new WeakMap<IdValue, number>();
const byContent = new Map<bigint, Map<bigint, number>>();
let nextId = 0;
function valueId(v: IdValue | undefined): number {
  if (!v) return -1;
  let id = valueIds.get(v);
  if (id === undefined) {
    let byKnown = byContent.get(v.value);
    if (!byKnown) byContent.set(v.value, (byKnown = new Map()));
    id = byKnown.get(v.known);
    if (id === undefined) byKnown.set(v.known, (id = nextId++));
    valueIds.set(v, id);
  }
  return id;
}

// a value map's value numbers by register number (regNumbers; -1: not in the map), once per
// map: compare reads the destination's (and its host's) for every source register, and equal
// numbers (equal values) need no comparison at all
const slotIds = new WeakMap<ReadonlyMap<string, IdValue>, Int32Array>();
function slotsOf(regs: ReadonlyMap<string, IdValue>): Int32Array {
  let ids = slotIds.get(regs);
  if (!ids) {
    // the map's registers are numbered now if they were not, so a number past the array's end
    // (given later) is a register the map does not have
    for (const reg of regs.keys()) if (!regNumbers.has(reg)) regNumbers.set(reg, regNumbers.size);
    ids = new Int32Array(regNumbers.size).fill(-1);
    for (const [reg, v] of regs) ids[regNumbers.get(reg)!] = valueId(v);
    slotIds.set(regs, ids);
  }
  return ids;
}
const slot = (ids: Int32Array, n: number) => (n < ids.length ? ids[n]! : -1);

// the refused fields of one register, shared (sharedFinding) by every pair that meets them;
// by (acceptance era, register, host value) then (source value, destination value): numbers
// below 2^26 each (value numbers are per distinct content, a fleet has thousands at most)
const registerMemo = new Map<number, Map<number, readonly FindingInput[]>>();
const SPAN = 2 ** 26;
// era: the release's acceptanceEraNumber for the memo, -1 to judge afresh on the release itself
// ia, ib, hostId: valueId(a), valueId(b), valueId(host)
function registerFindings(reg: RegCell, a: IdValue, b: IdValue, release: string, era: number, host: IdValue | undefined, ia: number, ib: number, hostId: number): readonly FindingInput[] {
  const memo = era >= 0;
  let byValues: Map<number, readonly FindingInput[]> | undefined;
  let k = 0;
  if (memo) {
    // judgeOf reads the release only through the acceptance entries in force: one release per era
    release = eraRelease(era);
    const h = hostId + 1;
    // past these bounds the numbers would overlap and serve one register's findings for another
    if (reg.n >= 4096 || era >= 2 ** 14) throw new Error(`id-registers: register number ${reg.n} or era ${era} too large for the registerFindings keys`);
    if (h >= SPAN || ia >= SPAN || ib >= SPAN) throw new Error(`id-registers: more than 2^26 distinct register values (registerFindings keys)`);
    const outer = (era * 4096 + reg.n) * SPAN + h;
    byValues = registerMemo.get(outer);
    if (!byValues) registerMemo.set(outer, (byValues = new Map()));
    k = ia * SPAN + ib;
    const out = byValues.get(k);
    if (out) return out;
  }
  const found: FindingInput[] = [];
  const known = a.known & b.known;
  const diff = (a.value ^ b.value) & known;
  const fields = fieldTable(reg.reg);
  const judged = judgeTable(release, reg.reg);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const mask = f.mask & known;
    if (!(diff & mask)) continue;
    const sv = (a.value & mask) >> f.shift;
    const dv = (b.value & mask) >> f.shift;
    const { judge, entry } = judged[i]!;
    const h = judge === 'host' ? hostField(host, f.mask, f.shift) : undefined;
    if (!refused(judge, sv, dv, f.signed, h)) continue;
    const subject = f.subject;
    const finding: FindingInput = {
      severity: 'fail',
      subject,
      message: say((_s, d) => `${subject}: the source guest saw ${hexOf(sv)}, ${d.kernel.name} ${RULE_TEXT[judge](hexOf(dv), f.signed)}, so KVM_SET_ONE_REG(${reg.reg}) fails and QEMU abandons the incoming migration`),
      note: `${subject} ${hexOf(sv)} -> ${hexOf(dv)} refused`,
      reference: entry.reference,
      side: 'destination',
    };
    // afresh: the same finding unshared (stamped alike, so both ways read the same)
    found.push(memo ? sharedFinding(ID, finding) : ({ ...finding, rule: ID } as FindingInput));
  }
  if (byValues) byValues.set(k, found);
  return found;
}

/** The rule's comparison (memo false: every register judged afresh, what test/rules/id-registers-memo.test.ts holds the memo to). */
export function compare(src: VmState, dst: VmState, memo = true): FindingInput[] {
  const out: FindingInput[] = sveLengths(src, dst);
  const release = acceptanceLevel(hostOf(dst).kernel);
  const era = memo ? acceptanceEraNumber(release) : -1;
  const both = listedFlags(src) & listedFlags(dst);
  const regs = dst.id.regs;
  const host = dst.id.host;
  const dstIds = slotsOf(regs);
  const hostIds = slotsOf(host);
  for (const cell of regsInOrder(src)) {
    if (!(both & cell.need)) continue;
    // absent on the destination, or the same value (numbered by content): nothing to compare
    const ib = slot(dstIds, cell.n);
    if (ib < 0 || ib === cell.id) continue;
    const a = cell.value;
    const b = regs.get(cell.reg)!;
    if (!((a.value ^ b.value) & a.known & b.known)) continue;
    // the host's own value only where a judge reads it: registerFindings' memo is keyed on it
    const h = cell.hostRead ? host.get(cell.reg) : undefined;
    for (const f of registerFindings(cell, a, b, release, era, h, cell.id, ib, cell.hostRead ? slot(hostIds, cell.n) : -1)) out.push(f);
  }
  for (const f of clidrGeometry(src, dst, release)) out.push(f);
  return out;
}
