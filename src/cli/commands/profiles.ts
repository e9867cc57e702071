import { kernelReleases, mainlineKernel } from '../../kb/kernels.js';
import { qemuRelease, vmmReleases } from '../../kb/vmms.js';
import { coreNames, findCore, hex32 } from '../../kb/cpus.js';
import { UsageError, hint } from '../../profile/diagnostics.js';
import type { Command, Context } from '../context.js';

const toJson = (v: unknown) =>
  `${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x), 2)}\n`;

function show(name: string, ctx: Context): unknown {
  const kernel = /^linux-(\d+\.\d+)$/.exec(name);
  if (kernel) return mainlineKernel(kernel[1]!);
  const qemu = /^qemu-(\d+\.\d+)$/.exec(name);
  if (qemu) return qemuRelease(qemu[1]!);
  const core = findCore(name);
  if (core) return { ...core, midrBase: hex32(Number(core.midrBase)) };
  const file = ctx.resolver.names().get(name);
  if (file) return ctx.resolver.validateFile(file) === 'Guest' ? ctx.resolver.guest(file) : ctx.resolver.host(file);
  return undefined;
}

export const profiles: Command<{ action: 'list' | 'show'; name?: string }> = {
  command: 'profiles [action] [name]',
  describe: 'The shipped knowledge base: list names, or show one resolved profile with the source of each fact',
  positional: {
    action: { choices: ['list', 'show'], default: 'list' },
    name: { type: 'string', describe: 'profile name for show' },
  },
  run(args, ctx) {
    if (args.action === 'list') {
      const all = {
        kernels: kernelReleases.map((r) => `linux-${r}`),
        vmms: vmmReleases.map((r) => `qemu-${r}`),
        cpus: coreNames(),
        profiles: [...ctx.resolver.names().keys()].sort(),
      };
      ctx.emit(ctx.format === 'json' ? toJson(all) : Object.entries(all).map(([k, v]) => `${k}:\n  ${v.join(' ')}\n`).join(''));
      return 0;
    }
    if (!args.name) throw new UsageError("'profiles show' needs a name, e.g. migcheck profiles show linux-6.6");
    const found = show(args.name, ctx);
    if (found === undefined) {
      const known = [...kernelReleases.map((r) => `linux-${r}`), ...vmmReleases.map((r) => `qemu-${r}`), ...coreNames(), ...ctx.resolver.names().keys()];
      throw new UsageError(`unknown profile '${args.name}'${hint(args.name, known)}`);
    }
    ctx.emit(toJson(found));
    return 0;
  },
};
