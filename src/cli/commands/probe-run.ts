import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import hostSchema from '../../../schemas/host.schema.json' with { type: 'json' };
import { InputError, UsageError } from '../../profile/diagnostics.js';
import { packageRoot } from '../../profile/paths.js';
import { CAPS, HostTree, ProbeError } from '../../probe/tree.js';
import { checkRoundTrip, type FieldSource } from '../../probe/round-trip.js';
import { kernelRelease } from '../../probe/kernel-release.js';
import { probeCpus, type ProbedCpu } from '../../probe/cpus.js';
import { probeMitigations } from '../../probe/vulnerabilities.js';
import { probeStolenTime } from '../../probe/stolen-time.js';
import { parseQemuVersion, runQemuVersion, type ProbedQemu } from '../../probe/qemu.js';
import { kvmFacts, parseKvmProbe } from '../../probe/kvm-output.js';
import { probedBase, probedHost, type ProbeFacts } from '../../probe/host-profile.js';
import type { Context, GlobalArgs } from '../context.js';
import type { ProbeArgs } from './probe.js';
import { oneLine } from '../../profile/printable.js';

/** A captured tree keeps command outputs beside /proc and /sys (docs/probe.md). */
const CAPTURED_QEMU = 'capture/qemu-version.txt';
const CAPTURED_KVM = 'capture/kvm-probe.json';
/** the helper makes one VM and one vCPU: well under a second */
const KVM_TIMEOUT_MS = 30_000;

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
    const text = tree.read(CAPTURED_QEMU, CAPS.qemuVersion);
    if (text === undefined) throw new ProbeError(`${tree.shown(CAPTURED_QEMU)}: missing; save \`qemu-system-aarch64 --version\` there, or pass --vmm NAME`);
    return parseQemuVersion(text, `qemu-system-aarch64 --version (captured in ${CAPTURED_QEMU})`, tree.shown(CAPTURED_QEMU));
  }
  return runQemuVersion(args.qemu);
}

function readKvm(tree: HostTree, args: ProbeArgs): ProbeFacts['kvm'] {
  if (!args.kvm) return undefined;
  if (tree.root !== '/') {
    const text = tree.read(CAPTURED_KVM, CAPS.kvmProbe);
    if (text === undefined) throw new ProbeError(`${tree.shown(CAPTURED_KVM)}: missing; save the output of migcheck-kvm-probe there, or drop --kvm`);
    return { facts: kvmFacts(parseKvmProbe(text, tree.shown(CAPTURED_KVM), tree.shown(CAPTURED_KVM))), from: 'migcheck-kvm-probe, captured' };
  }
  const helper = args.kvmHelper ?? join(packageRoot(), 'build', 'migcheck-kvm-probe');
  if (!existsSync(helper)) throw new ProbeError(`the KVM helper is not built (${helper}): run \`npm run build:probe\` in the migcheck package (needs cc), or pass --kvm-helper PATH`);
  let out: string;
  try {
    // bounded in size and time; SIGKILL, so a helper stuck in an ioctl cannot hang the probe
    out = execFileSync(helper, [], { encoding: 'utf8', timeout: KVM_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: CAPS.kvmProbe, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: unknown; signal?: string };
    if (e.code === 'ENOBUFS') throw new ProbeError(`${helper} wrote more than ${CAPS.kvmProbe} bytes; not migcheck-kvm-probe?`);
    if (e.code === 'ETIMEDOUT' || e.signal === 'SIGKILL') throw new ProbeError(`${helper} did not finish within ${KVM_TIMEOUT_MS / 1000} s`);
    const stderr = String(e.stderr ?? '').trim().split('\n')[0]!.slice(0, 500);
    throw new ProbeError(stderr || `${helper} failed: ${e.message.split('\n')[0]}`);
  }
  return { facts: kvmFacts(parseKvmProbe(out, helper)), from: 'migcheck-kvm-probe' };
}

const HOSTNAME = '/proc/sys/kernel/hostname';

/** The capture each field of the written profile came from, to blame when the loader rejects it. */
function fieldSource(tree: HostTree, args: ProbeArgs, doc: Record<string, unknown>, cpus: readonly ProbedCpu[], configEvidence?: string): FieldSource {
  const file = (path: string) => ({ file: tree.shown(path) });
  const kvmSource = () => (tree.root !== '/' ? file(CAPTURED_KVM) : { label: args.kvmHelper ?? 'migcheck-kvm-probe' });
  const cpuFile = (entry: unknown) => {
    const midr = Number((entry as { midr?: string } | undefined)?.midr);
    const cpu = cpus.find((c) => c.midr === midr)?.cpus[0] ?? 0;
    return file(`/sys/devices/system/cpu/cpu${cpu}/regs/identification/midr_el1`);
  };
  return (path) => {
    const p = path.replace(/^probe\.evidence\./, '');
    const other = /^otherCpus\[(\d+)\]/.exec(p);
    if (other) return cpuFile((doc.otherCpus as unknown[] | undefined)?.[Number(other[1])]);
    if (p.startsWith('otherCpus')) return file('/sys/devices/system/cpu');
    if (p.startsWith('cpu')) return cpuFile(doc.cpu);
    if (p.startsWith('vmm')) return args.vmm ? { label: `--vmm ${args.vmm}` } : tree.root !== '/' ? file(CAPTURED_QEMU) : { label: `${args.qemu} --version` };
    if (p.startsWith('mitigations')) return args.kvm ? kvmSource() : file(`/sys/devices/system/cpu/vulnerabilities/${p.includes('WORKAROUND_2') ? 'spec_store_bypass' : 'spectre_v2'}`);
    if (p === 'name') return args.name !== undefined ? { label: `--name ${args.name}` } : file(HOSTNAME);
    if (p.startsWith('kernel.stolenTime') && !args.kvm && configEvidence) return file(configEvidence.split(':')[0]!);
    if (/^kernel\.(firmwareRegisters|systemRegisters|psci|hypercallBitmaps|stolenTime|writableImpIdRegs)/.test(p) && args.kvm) return kvmSource();
    return file('/proc/sys/kernel/osrelease');
  };
}

// the Host schema's own name pattern
const NAME = new RegExp(hostSchema.definitions.name.pattern);

/** probe's work (src/cli/commands/probe.ts loads it when the command runs). */
export async function runProbe(args: ProbeArgs & GlobalArgs, ctx: Context): Promise<number> {
  if (ctx.format !== 'text') throw new UsageError('probe writes a YAML Host profile; --format does not apply');
  try {
    if (!args.root) checkLiveHost(ctx);
    const tree = new HostTree(args.root ?? '/');
    const kernel = kernelRelease(tree);
    const { base } = probedBase(kernel.version);
    const kvm = readKvm(tree, args);
    const bhbReported = Boolean(base.registers.some((r) => r.name === 'SMCCC_ARCH_WORKAROUND_3') || kvm?.facts.firmwareRegisters.includes('SMCCC_ARCH_WORKAROUND_3'));
    const hostname = args.name === undefined ? tree.line(HOSTNAME) : undefined;
    const name = args.name ?? (hostname && NAME.test(hostname) ? hostname : 'probed-host');
    if (!NAME.test(name)) throw new ProbeError(`--name '${name}': use letters, digits and . _ + -`);
    const stolenTime = probeStolenTime(tree, kernel.osrelease, kernel.version);
    const cpus = probeCpus(tree);
    const { doc, notes } = probedHost({
      name,
      kernel,
      cpus,
      vmm: readVmm(tree, args),
      mitigations: probeMitigations(tree, bhbReported),
      ...(stolenTime ? { stolenTime } : {}),
      ...(kvm ? { kvm } : {}),
    });
    const { probedYaml } = await import('../../probe/render.js');
    const yaml = probedYaml(doc);
    checkRoundTrip(yaml, fieldSource(tree, args, doc, cpus, stolenTime?.evidence));
    if (args.root) ctx.readsTree(args.root);
    // YAML escapes the controls itself; escaping again would change plain scalars
    await ctx.emit(yaml, true);
    if (!args.quiet) for (const n of notes) ctx.io.stderr.write(`migcheck probe: note: ${oneLine(n)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ProbeError) {
      if (err.at) throw new InputError([{ file: err.at.file, line: err.at.line, col: err.at.col, path: err.at.path ?? '', message: err.message }]);
      throw new UsageError(err.message);
    }
    throw err;
  }
}
