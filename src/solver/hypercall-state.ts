// The hypercall services a VM can discover on a host, and the bitmap values the VMM
// would read: bitmap-gated services follow the bitmap (reset or the guest's selection),
// the others are on unconditionally.
import type { Endpoint } from '../model.js';
import { bitmapOf, registerInfo } from '../kb/registers.js';
import type { ConfigProblem } from './vm-state.js';

export interface HypercallState {
  readonly bitmaps: Map<string, string[]>;
  readonly bitmapProblems: ConfigProblem[];
  readonly services: Set<string>;
}

// one object per (host, list of registers, bitmaps asked, targets applied): the baseline search's
// candidate guests share them, and rule keys made from them are made once per object (a
// state's bitmaps, bitmapProblems and services are one of these: keys may stand on `bitmaps`)
const states = new WeakMap<Endpoint['host'], WeakMap<ReadonlySet<string>, Map<string, HypercallState>>>();
export function hypercallState(e: Endpoint, listed: ReadonlySet<string>, targetsApplied: boolean): HypercallState {
  let byList = states.get(e.host);
  if (!byList) states.set(e.host, (byList = new WeakMap()));
  let byAsk = byList.get(listed);
  if (!byAsk) byList.set(listed, (byAsk = new Map()));
  const k = `${+targetsApplied}${JSON.stringify(e.guest.hypercallBitmaps ?? null)}`;
  let s = byAsk.get(k);
  if (!s) byAsk.set(k, (s = Object.freeze(compute(e, listed, targetsApplied))));
  return s;
}

function compute({ host, guest }: Endpoint, listed: ReadonlySet<string>, targetsApplied: boolean): HypercallState {
  const { kernel, vmm } = host;
  // advertising target implementations (6.15+) means the VMM also sets VENDOR_HYP_BMAP_2
  const vmmSets = (reg: string) => vmm.canSet.hypercallBitmaps || (reg === 'VENDOR_HYP_BMAP_2' && targetsApplied);

  const bitmaps = new Map<string, string[]>();
  const bitmapProblems: ConfigProblem[] = [];
  for (const reg of listed) {
    const info = registerInfo(reg);
    if (info?.kind !== 'bitmap') continue;
    const supported = (info.bits ?? []).filter((b) => kernel.services.includes(b));
    const reset = info.reset === 'none' ? [] : supported;
    const wanted = guest.hypercallBitmaps?.[reg] ?? (reg === 'VENDOR_HYP_BMAP_2' && targetsApplied ? info.bits : undefined);
    if (!wanted) {
      bitmaps.set(reg, reset);
      continue;
    }
    const unknown = wanted.filter((b) => !supported.includes(b));
    const differs = wanted.length !== reset.length || wanted.some((b) => !reset.includes(b));
    if (unknown.length) bitmapProblems.push({ subject: reg, message: `cannot set ${reg} to [${wanted.join(', ')}] on host ${host.name}: kernel ${kernel.name} does not implement ${unknown.join(', ')} (KVM_SET_ONE_REG -EINVAL)` });
    else if (differs && !vmmSets(reg)) bitmapProblems.push({ subject: reg, message: `cannot set ${reg} to [${wanted.join(', ')}] on host ${host.name}: VMM ${vmm.name} does not write hypercall bitmaps` });
    bitmaps.set(reg, unknown.length || (differs && !vmmSets(reg)) ? reset : [...wanted]);
  }
  for (const [reg, wanted] of Object.entries(guest.hypercallBitmaps ?? {})) {
    // a selection the kernel cannot express: the services are on unconditionally
    if (!listed.has(reg) && wanted.length < kernel.services.filter((s) => bitmapOf(s)?.name === reg).length)
      bitmapProblems.push({ subject: reg, message: `cannot restrict hypercall services with ${reg} on host ${host.name}: kernel ${kernel.name} has no such register` });
  }
  const services = new Set(
    kernel.services.filter((s) => {
      const reg = bitmapOf(s)?.name;
      if (reg && listed.has(reg)) return bitmaps.get(reg)!.includes(s);
      // no bitmap on this kernel: on unconditionally, unless only a reset-to-0 bitmap could enable it
      return !(reg && registerInfo(reg)?.reset === 'none');
    }),
  );

  return { bitmaps, bitmapProblems, services };
}
