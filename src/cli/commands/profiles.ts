import { kernelReleases, mainlineKernel } from '../../kb/kernels.js';
import { qemuRelease, vmmReleases } from '../../kb/vmms.js';
import { coreNames, findCore, productNames } from '../../kb/cpus.js';
import { UsageError } from '../../profile/diagnostics.js';
import { profileNameHint } from '../../profile/components.js';
import { coreFacts, fleetFacts, guestFacts, hostFacts, kernelFacts, vmmFacts, type ProfileFacts } from '../../reports/profile-facts.js';
import { renderFacts } from '../../render/facts.js';
import type { Command, Context } from '../context.js';

function show(name: string, ctx: Context): ProfileFacts | undefined {
  if (/^linux-\d/.test(name)) {
    const k = mainlineKernel(name.slice(6));
    return k && { name: k.name, kind: 'kernel', facts: kernelFacts(k) };
  }
  const qemu = /^qemu-(\d+\.\d+)$/.exec(name);
  if (qemu) {
    const v = qemuRelease(qemu[1]!);
    return v && { name: v.name, kind: 'vmm', facts: vmmFacts(v) };
  }
  const core = findCore(name);
  if (core) return { name: core.name, kind: 'cpu', facts: coreFacts(core) };
  const file = ctx.resolver.lookup(name) ?? (/\.ya?ml$/.test(name) ? name : undefined);
  if (!file) return undefined;
  const kind = ctx.resolver.validateFile(file);
  if (kind === 'Guest') {
    const g = ctx.resolver.guest(file);
    return { name: g.name, kind: 'Guest', facts: guestFacts(g) };
  }
  if (kind === 'Fleet') {
    const f = ctx.resolver.fleet(file);
    return { name: f.name, kind: 'Fleet', facts: fleetFacts(f) };
  }
  const h = ctx.resolver.host(file);
  return { name: h.name, kind: 'Host', facts: hostFacts(h) };
}

export const profiles: Command<{ action: 'list' | 'show'; name?: string }> = {
  command: 'profiles [action] [name]',
  describe: 'The shipped knowledge base: list names, or show one resolved profile with the source of each fact',
  positional: {
    action: { choices: ['list', 'show'], default: 'list' },
    name: { type: 'string', describe: 'a kernel (linux-6.6, linux-5.4.190), VMM (qemu-9.2), CPU (neoverse-n1, graviton2), shipped profile name or file' },
  },
  async run(args, ctx) {
    if (args.action === 'list') {
      const all = {
        kernels: kernelReleases.map((r) => `linux-${r}`),
        vmms: vmmReleases.map((r) => `qemu-${r}`),
        cpus: coreNames(),
        products: productNames(),
        profiles: [...ctx.resolver.names().keys()].sort(),
      };
      const text = `${Object.entries(all).map(([k, v]) => `${k}:\n  ${v.join(' ')}\n`).join('')}(a stable kernel such as linux-5.4.190 resolves to its X.Y plus that series' backports)\n`;
      await ctx.emit(ctx.format === 'json' ? `${JSON.stringify(all, null, 2)}\n` : text);
      return 0;
    }
    if (!args.name) throw new UsageError("'profiles show' needs a name, e.g. migcheck profiles show linux-6.6");
    const found = show(args.name, ctx);
    if (found === undefined) {
      const known = [...kernelReleases.map((r) => `linux-${r}`), ...vmmReleases.map((r) => `qemu-${r}`), ...coreNames(), ...productNames(), ...ctx.resolver.names().keys()];
      throw new UsageError(`unknown profile '${args.name}'${profileNameHint(args.name, known)}`);
    }
    await ctx.emit(renderFacts(found, ctx.format));
    return 0;
  },
};
