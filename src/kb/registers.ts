// Register catalogue lookups: names, uapi names (KVM_REG_ARM_...) and 64-bit ids.
import { kb, type RegisterInfo } from './data.js';
import { decodeId, describeId, hexId } from './reg-ids.js';

const byName = new Map(kb.registers.map((r) => [r.name, r]));
const byId = new Map(kb.registers.filter((r) => r.id).map((r) => [r.id!.toLowerCase(), r]));

export function registerInfo(name: string): RegisterInfo | undefined {
  return byName.get(name);
}

/**
 * Canonical register name for a name, a KVM_REG_ARM_* uapi name or a 64-bit id; undefined if
 * unknown. An arm64 id the catalogue lacks stays a raw id (probed lists carry new registers).
 */
export function canonicalRegister(input: string): string | undefined {
  // string tests, not /^0x/i and /^KVM_REG_ARM_/: each expression cost start-up ~50-100 us to compile
  if (input.charCodeAt(0) === 48 && (input.charCodeAt(1) | 0x20) === 120) {
    const id = BigInt(input);
    return byId.get(`0x${id.toString(16)}`)?.name ?? (id >> 56n === 0x60n ? hexId(id) : undefined);
  }
  const name = input.startsWith('KVM_REG_ARM_') ? input.slice('KVM_REG_ARM_'.length) : input;
  return byName.has(name) ? name : undefined;
}

export const registerNames = (): string[] => [...byName.keys()];

/** A register named by its 64-bit id because the catalogue does not know it. */
export const isRawId = (name: string) => name.startsWith('0x');

export const isFirmwareRegister = (name: string) => {
  if (isRawId(name)) return ['firmware', 'bitmap'].includes(decodeId(BigInt(name)).class);
  const kind = byName.get(name)?.kind;
  return kind === 'firmware' || kind === 'bitmap';
};

const gates = new Map(kb.registers.flatMap((r) => (r.kind === 'bitmap' ? (r.bits ?? []).map((b) => [b, r] as const) : [])));

/** The bitmap register that gates a hypercall service, if any. */
export function bitmapOf(service: string): RegisterInfo | undefined {
  return gates.get(service);
}

/** How a register is named in messages: its name, its id and QEMU's own name for it. */
export function describeRegister(name: string): string {
  const r = byName.get(name);
  if (!r) return isRawId(name) ? describeId(BigInt(name)) : name;
  if (r.kind === 'group') return `${name} (${r.count} registers: ${r.description})`;
  return r.id ? `${name} (${r.id})` : name;
}

// rank of every catalogued register in id order, built on first use (not at start-up)
let rank: Map<string, number> | undefined;
const idOrder = (a: { id?: string; name: string }, b: { id?: string; name: string }) => {
  if (a.id && b.id) return BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;
  if (a.id) return -1;
  if (b.id) return 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

/** The index order QEMU sends registers in (sorted by id); groups last, then by name. */
export function registerOrder(a: string, b: string): number {
  rank ??= new Map([...kb.registers].sort(idOrder).map((r, i) => [r.name, i]));
  const ra = rank.get(a);
  const rb = rank.get(b);
  if (ra !== undefined && rb !== undefined) return ra - rb;
  if (ra !== undefined) return -1;
  if (rb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
