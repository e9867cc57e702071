import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import hostSchema from '../../../schemas/host.schema.json' with { type: 'json' };
import { UsageError } from '../../profile/diagnostics.js';
import { packageRoot } from '../../profile/paths.js';
import { HostTree, ProbeError } from '../../probe/tree.js';
import { kernelRelease } from '../../probe/kernel-release.js';
import { probeCpus } from '../../probe/cpus.js';
import { probeMitigations } from '../../probe/vulnerabilities.js';
import { probeStolenTime } from '../../probe/stolen-time.js';
import { parseQemuVersion, runQemuVersion, type ProbedQemu } from '../../probe/qemu.js';
import { kvmFacts, parseKvmProbe } from '../../probe/kvm-output.js';
import { probedBase, probedHost, type ProbeFacts } from '../../probe/host-profile.js';
import type { Command, Context } from '../context.js';

interface ProbeArgs {
  root?: string;
  name?: string;
  qemu: string;
  vmm?: string;
  kvm: boolean;
  kvmHelper?: string;
}

/** A captured tree keeps command outputs beside /proc and /sys (docs/probe.md). */
const CAPTURED_QEMU = 'capture/qemu-version.txt';
const CAPTURED_KVM = 'capture/kvm-probe.json';

function checkLiveHost(ctx: Context): void {
  // overridable so the refusals are testable on any machine
  const arch = ctx.io.env.MIGCHECK_PROBE_ARCH ?? process.arch;
  const dev = ctx.io.env.MIGCHECK_PROBE_KVM_DEVICE ?? '/dev/kvm';
  if (arch !== 'arm64')
    throw new ProbeError(`probe describes the arm64 KVM host it runs on; this machine is ${arch}. Run it on the host, or capture the host's files and use --root DIR (docs/probe.md)`);
  if (!existsSync(dev)) throw new ProbeError(`no ${dev}: this arm64 machine has no KVM (module not loaded, or a guest without nested virtualisation), so it cannot host the VMs migcheck judges`);
}

function readVmm(tree: HostTree, args: ProbeArgs): ProbedQemu | { profile: string } {
  if (args.vmm) return { profile: args.vmm };
  if (tree.root !== '/') {
    const text = tree.read(CAPTURED_QEMU);
    if (text === undefined) throw new ProbeError(`${tree.shown(CAPTURED_QEMU)}: missing; save \`qemu-system-aarch64 --version\` there, or pass --vmm NAME`);
    return parseQemuVersion(text, `qemu-system-aarch64 --version (captured in ${CAPTURED_QEMU})`);
  }
  return runQemuVersion(args.qemu);
}

function readKvm(tree: HostTree, args: ProbeArgs): ProbeFacts['kvm'] {
  if (!args.kvm) return undefined;
  if (tree.root !== '/') {
    const text = tree.read(CAPTURED_KVM);
    if (text === undefined) throw new ProbeError(`${tree.shown(CAPTURED_KVM)}: missing; save the output of migcheck-kvm-probe there, or drop --kvm`);
    return { facts: kvmFacts(parseKvmProbe(text, tree.shown(CAPTURED_KVM))), from: 'migcheck-kvm-probe, captured' };
  }
  const helper = args.kvmHelper ?? join(packageRoot(), 'build', 'migcheck-kvm-probe');
  if (!existsSync(helper)) throw new ProbeError(`the KVM helper is not built (${helper}): run \`npm run build:probe\` in the migcheck package (needs cc), or pass --kvm-helper PATH`);
  let out: string;
  try {
    out = execFileSync(helper, [], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new ProbeError(stderr || `${helper} failed: ${(err as Error).message.split('\n')[0]}`);
  }
  return { facts: kvmFacts(parseKvmProbe(out, helper)), from: 'migcheck-kvm-probe' };
}

// the Host schema's own name pattern
const NAME = new RegExp(hostSchema.definitions.name.pattern);

export const probe: Command<ProbeArgs> = {
  command: 'probe',
  describe: 'Write the Host profile of this arm64 KVM host (or of a captured tree with --root)',
  options: {
    root: { type: 'string', describe: 'read /proc, /sys and capture/ from this captured tree instead of the running system' },
    name: { type: 'string', describe: 'host name in the profile (default: the hostname)' },
    qemu: { type: 'string', default: 'qemu-system-aarch64', describe: 'the QEMU binary whose --version to read' },
    vmm: { type: 'string', describe: 'a shipped VMM profile name instead of asking QEMU (e.g. qemu-9.2)' },
    kvm: { type: 'boolean', default: false, describe: 'also ask KVM itself (register list, firmware registers, capabilities) via the native helper (npm run build:probe)' },
    'kvm-helper': { type: 'string', describe: 'path to migcheck-kvm-probe (default: build/migcheck-kvm-probe in the package)' },
  },
  async run(args, ctx) {
    if (ctx.format !== 'text') throw new UsageError('probe writes a YAML Host profile; --format does not apply');
    try {
      if (!args.root) checkLiveHost(ctx);
      const tree = new HostTree(args.root ?? '/');
      const kernel = kernelRelease(tree);
      const { base } = probedBase(kernel.version);
      const kvm = readKvm(tree, args);
      const bhbReported = Boolean(base.registers.some((r) => r.name === 'SMCCC_ARCH_WORKAROUND_3') || kvm?.facts.firmwareRegisters.includes('SMCCC_ARCH_WORKAROUND_3'));
      const hostname = tree.line('/proc/sys/kernel/hostname');
      const name = args.name ?? (hostname && NAME.test(hostname) ? hostname : 'probed-host');
      if (!NAME.test(name)) throw new ProbeError(`--name '${name}': use letters, digits and . _ + -`);
      const stolenTime = probeStolenTime(tree, kernel.osrelease, kernel.version);
      const { doc, notes } = probedHost({
        name,
        kernel,
        cpus: probeCpus(tree),
        vmm: readVmm(tree, args),
        mitigations: probeMitigations(tree, bhbReported),
        ...(stolenTime ? { stolenTime } : {}),
        ...(kvm ? { kvm } : {}),
      });
      const { probedYaml } = await import('../../probe/render.js');
      ctx.emit(probedYaml(doc));
      if (!args.quiet) for (const n of notes) ctx.io.stderr.write(`migcheck probe: note: ${n}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ProbeError) throw new UsageError(err.message);
      throw err;
    }
  },
};
