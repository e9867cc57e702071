import { KERNEL_VERSION, kernelReleases } from '../../kb/kernels.js';
import { vmmReleases } from '../../kb/vmms.js';
import { coreNames, findCore, findProduct, productNames } from '../../kb/cpus.js';
import { coverage, coverageLines } from '../../kb/coverage.js';
import { UsageError } from '../../profile/diagnostics.js';
import { kernelByName, profileNameHint, vmmByName, type At, type Problems } from '../../profile/components.js';
import { coreFacts, productFacts, fleetFacts, guestFacts, hostFacts, kernelFacts, vmmFacts, type ProfileFacts } from '../../reports/profile-facts.js';
import { renderFacts } from '../../render/facts.js';
import type { Command, Context } from '../context.js';

/** A kernel or VMM name resolves as a profile would name it; its problem is the usage error. */
function named<T>(name: string, resolve: (name: string, at: At, segs: (string | number)[], problems: Problems) => T | undefined): T {
  const problems: Problems = [];
  const at: At = (_segs, message) => ({ file: '(command line)', line: 1, col: 1, path: '', message });
  const found = resolve(name, at, [], problems);
  if (found === undefined) throw new UsageError(problems.map((p) => p.message).join('; '));
  return found;
}

function show(name: string, ctx: Context): ProfileFacts | undefined {
  // linux-X.Y…, or a bare version as a host reports it (6.1, 5.15.0-91-generic)
  if (/^linux-\d/.test(name) || KERNEL_VERSION.test(name)) {
    const k = named(name, kernelByName);
    return { name: k.name, kind: 'kernel', facts: kernelFacts(k) };
  }
  if (/^qemu[-\s]+\d/.test(name)) {
    const v = named(name, vmmByName);
    return { name: v.name, kind: 'vmm', facts: vmmFacts(v) };
  }
  const core = findCore(name);
  const product = findProduct(name);
  if (core && product) return { name: product.name, kind: 'cpu', facts: productFacts(product, core) };
  if (core) return { name: core.name, kind: 'cpu', facts: coreFacts(core, true) };
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
  examples: ['profiles list', 'profiles show graviton3'],
  positional: {
    action: { choices: ['list', 'show'], default: 'list', describe: 'list the names, or show one' },
    name: { type: 'string', describe: 'a kernel (linux-6.6, linux-5.4.190), VMM (qemu-9.2), CPU (neoverse-n1, graviton2), shipped profile name or file' },
  },
  async run(args, ctx) {
    if (args.action === 'list') {
      const all = {
        coverage: coverage(),
        kernels: kernelReleases.map((r) => `linux-${r}`),
        vmms: vmmReleases.map((r) => `qemu-${r}`),
        cpus: coreNames(),
        products: productNames(),
        profiles: [...ctx.resolver.names().keys()].sort(),
      };
      const { coverage: _c, ...names } = all;
      const text = `${coverageLines(all.coverage).join('\n')}\n\n${Object.entries(names).map(([k, v]) => `${k}:\n  ${v.join(' ')}\n`).join('')}(a stable kernel such as linux-5.4.190 resolves to its X.Y plus that series' backports)\n`;
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
