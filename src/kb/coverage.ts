// What the knowledge base covers, for `migcheck --version` and `profiles list`: the kernel
// and QEMU releases, the cores and products, and the date the data was last brought up to.
import { kb } from './data.js';

interface Coverage {
  readonly kernels: { readonly first: string; readonly last: string; readonly count: number };
  readonly qemu: { readonly first: string; readonly last: string; readonly count: number };
  readonly cores: number;
  readonly products: number;
  readonly updated: string;
}

export function coverage(): Coverage {
  const span = (r: readonly string[]) => ({ first: r[0]!, last: r.at(-1)!, count: r.length });
  return {
    kernels: span(kb.kernel.releases),
    qemu: span(kb.vmm.releases),
    cores: kb.cores.length,
    products: kb.cpuProperties.products.length,
    updated: kb.kernel.updated ?? 'unknown',
  };
}

/** One line per fact, as `--version` and `profiles list` print them. */
export function coverageLines(c: Coverage = coverage()): string[] {
  return [
    `knowledge base: up to ${c.updated}`,
    `  kernels  linux-${c.kernels.first} … linux-${c.kernels.last} (${c.kernels.count} releases, with stable backports)`,
    `  QEMU     qemu-${c.qemu.first} … qemu-${c.qemu.last} (${c.qemu.count} releases)`,
    `  CPUs     ${c.cores} cores, ${c.products} products`,
  ];
}
