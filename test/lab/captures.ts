// The lab's committed captures (test/fixtures/kvm/, written by `npm run lab`): read here
// without network or emulator.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KVM_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'kvm');

export interface Dump {
  tool: string;
  format: number;
  mode?: string;
  osrelease?: string;
  vcpuFeatures: string[];
  capabilities: Record<string, number>;
  cpregCount?: number;
  bootOptions?: string[];
  regList: string[];
  values: Record<string, string>;
}

export interface Cell {
  result: 'clean' | 'fail';
  notListed: string[];
  refused: { id: string; error: string; value: string; destValue: string }[];
}

export interface Truth {
  emulator: string;
  features: string;
  mode: string;
  cpus: Record<string, { kernels: string[]; matrix: Record<string, Record<string, Cell>> }>;
  /** `npm run lab -- --cross-from M`: "<source mode>><destination mode>" -> CPU -> source kernel -> destination kernel */
  cross?: Record<string, Record<string, Record<string, Record<string, Cell>>>>;
}

export interface Lab {
  kernel: string;
  osrelease: string;
  cpu: string;
  mode: string;
}

export const captureDirs = (): string[] =>
  existsSync(KVM_FIXTURES) ? readdirSync(KVM_FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

export const readDump = (dir: string): Dump => JSON.parse(readFileSync(join(KVM_FIXTURES, dir, 'capture', 'kvm-probe.json'), 'utf8')) as Dump;
export const readLab = (dir: string): Lab => JSON.parse(readFileSync(join(KVM_FIXTURES, dir, 'capture', 'lab.json'), 'utf8')) as Lab;
export const readTruth = (file = 'truth.json'): Truth | undefined =>
  existsSync(join(KVM_FIXTURES, file)) ? (JSON.parse(readFileSync(join(KVM_FIXTURES, file), 'utf8')) as Truth) : undefined;

/** QEMU's cpreg list: every listed id but core (coproc 0x10) and SVE (0x15) ones */
export const cpregs = (d: Dump): string[] => d.regList.filter((id) => ![0x10n, 0x15n].includes((BigInt(id) >> 16n) & 0xfffn));
