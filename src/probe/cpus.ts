// MIDR_EL1/REVIDR_EL1 of every CPU (arch/arm64/kernel/cpuinfo.c exposes them in
// /sys/devices/system/cpu/cpuN/regs/identification/ since v4.7); heterogeneous hosts
// keep each distinct implementation.
import { coreForMidr, hex32, revisionOf } from '../kb/cpus.js';
import { clip } from '../profile/diagnostics.js';
import { MAX_CPUS, ProbeError, type HostTree } from './tree.js';

export interface ProbedCpu {
  readonly midr: number;
  readonly revidr: bigint;
  /** logical CPUs with this identity */
  readonly cpus: readonly number[];
}

const CPU_DIR = '/sys/devices/system/cpu';
// sysfs prints both as 0x%016llx
const HEX64 = /^0x[0-9a-f]{1,16}$/i;

/** One identification register's value, refused (located) when it is not a 64-bit hex value. */
function register(tree: HostTree, file: string, name: string): bigint | undefined {
  const text = tree.line(file);
  if (text === undefined) return undefined;
  if (!HEX64.test(text)) {
    const shown = clip(text, 40);
    throw tree.refuse(file, /^0x[0-9a-f]+$/i.test(text) ? `${name} is a 64-bit register; '${shown}' has ${text.length - 2} hex digits` : `'${shown}' is not a hex ${name} value (sysfs writes 0x%016llx)`);
  }
  return BigInt(text);
}

export function probeCpus(tree: HostTree): ProbedCpu[] {
  // the directory name is the path used: only cpuN names, no separators or dots, are read
  const dirs = tree
    .list(CPU_DIR)
    .filter((d) => /^cpu(0|[1-9][0-9]{0,5})$/.test(d))
    .map((d) => ({ d, i: Number(d.slice(3)) }))
    .sort((a, b) => a.i - b.i);
  if (dirs.length > MAX_CPUS) throw tree.refuse(CPU_DIR, `${dirs.length} CPU directories; arm64 Linux supports at most ${MAX_CPUS} CPUs`);
  const distinct = new Map<string, { midr: number; revidr: bigint; cpus: number[] }>();
  for (const { d, i } of dirs) {
    const dir = `${CPU_DIR}/${d}/regs/identification`;
    const midr = register(tree, `${dir}/midr_el1`, 'MIDR_EL1');
    if (midr === undefined) continue; // offline CPUs have no regs/
    // MIDR_EL1 bits 63:32 are RES0: a value above them is not a MIDR, not to be cut to 32 bits
    if (midr > 0xffffffffn) throw tree.refuse(`${dir}/midr_el1`, `MIDR_EL1 is 32 bits (bits 63:32 are RES0); 0x${midr.toString(16)} has bits above 31`);
    const revidr = register(tree, `${dir}/revidr_el1`, 'REVIDR_EL1') ?? 0n;
    const id = { midr: Number(midr), revidr };
    const key = `${id.midr}:${id.revidr}`;
    const seen = distinct.get(key);
    if (seen) seen.cpus.push(i);
    else distinct.set(key, { ...id, cpus: [i] });
  }
  if (!distinct.size)
    throw new ProbeError(`${tree.shown(`${CPU_DIR}/cpu0/regs/identification/midr_el1`)}: no CPU identification registers (not an arm64 kernel, or older than 4.7)`);
  return [...distinct.values()];
}

/** "cpu0-3", "cpu4,6" */
export function cpuRange(cpus: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j]! + 1) j++;
    parts.push(j === i ? `${cpus[i]}` : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return `cpu${parts.join(',')}`;
}

export const cpuLabel = (c: { midr: number }) => `${coreForMidr(c.midr)?.name ?? hex32(c.midr)} ${revisionOf(c.midr)}`;
