// probe's command line. Its work (probe-run.ts) is loaded when it runs: the probe modules bring
// node:child_process, node:zlib and node:os, which every other command's start-up would load for nothing.
import type { Command } from '../context.js';

export interface ProbeArgs {
  root?: string;
  name?: string;
  qemu: string;
  vmm?: string;
  kvm: boolean;
  kvmHelper?: string;
}

export const probe: Command<ProbeArgs> = {
  command: 'probe',
  describe: 'Write the Host profile of this arm64 KVM host (or of a captured tree with --root)',
  examples: ['probe --kvm -o this-host.yaml', 'probe --root capture/ --vmm qemu-9.2'],
  options: {
    root: { type: 'string', describe: 'read /proc, /sys and capture/ from this captured tree instead of the running system' },
    name: { type: 'string', describe: 'host name in the profile (default: the hostname)' },
    qemu: { type: 'string', default: 'qemu-system-aarch64', describe: 'the QEMU binary whose --version to read' },
    vmm: { type: 'string', describe: 'a shipped VMM profile name instead of asking QEMU (e.g. qemu-9.2)' },
    kvm: { type: 'boolean', default: false, describe: 'also ask KVM itself (register list, firmware registers, capabilities) via the native helper (npm run build:probe)' },
    'kvm-helper': { type: 'string', describe: 'path to migcheck-kvm-probe (default: build/migcheck-kvm-probe in the package)' },
  },
  async run(args, ctx) {
    const { runProbe } = await import('./probe-run.js');
    return runProbe(args, ctx);
  },
};
