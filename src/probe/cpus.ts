// MIDR_EL1/REVIDR_EL1 of every CPU (arch/arm64/kernel/cpuinfo.c exposes them in
// /sys/devices/system/cpu/cpuN/regs/identification/ since v4.7); heterogeneous hosts
// keep each distinct implementation.
import { coreForMidr, hex32, revisionOf } from '../kb/cpus.js';
import { ProbeError, type HostTree } from './tree.js';

export interface ProbedCpu {
  readonly midr: number;
  readonly revidr: bigint;
  /** logical CPUs with this identity */
  readonly cpus: readonly number[];
}

const CPU_DIR = '/sys/devices/system/cpu';

export function probeCpus(tree: HostTree): ProbedCpu[] {
  const indices = tree
    .list(CPU_DIR)
    .map((d) => /^cpu(\d+)$/.exec(d)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const distinct = new Map<string, { midr: number; revidr: bigint; cpus: number[] }>();
  for (const i of indices) {
    const dir = `${CPU_DIR}/cpu${i}/regs/identification`;
    const midr = tree.line(`${dir}/midr_el1`);
    if (midr === undefined) continue; // offline CPUs have no regs/
    const revidr = tree.line(`${dir}/revidr_el1`) ?? '0x0';
    if (!/^0x[0-9a-f]+$/i.test(midr) || !/^0x[0-9a-f]+$/i.test(revidr)) throw new ProbeError(`${tree.shown(dir)}: unreadable MIDR/REVIDR '${midr}' '${revidr}'`);
    const id = { midr: Number(BigInt(midr) & 0xffffffffn), revidr: BigInt(revidr) };
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
