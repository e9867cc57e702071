// Host and Guest references (file paths or shipped names) -> frozen models, following
// `extends` chains with cycle detection.
import { dirname, join, resolve as resolvePath } from 'node:path';
import { existsSync } from 'node:fs';
import type { GuestModel, HostModel } from '../model.js';
import { releaseOf } from '../kb/version.js';
import { InputError, UsageError, hint, type Diagnostic } from './diagnostics.js';
import { displayPath, loadDocument, type Kind, type LoadedDocument } from './load.js';
import { looksLikePath, packageRoot, profileIndex } from './paths.js';
import { cpuIdentity, cpuModel, kernelByName, kernelObject, vmmByName, vmmObject, type Problems } from './components.js';

export const DEFAULT_GUEST: GuestModel = Object.freeze({ name: 'default', stolenTime: 'auto' as const });

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

type Obj = Record<string, unknown>;

/** Each field is located in the document of the extends chain that set it last. */
const ownerOf = (docs: readonly LoadedDocument[]) => (key: string) =>
  [...docs].reverse().find((d) => d.data[key] !== undefined) ?? docs.at(-1)!;

export class Resolver {
  private readonly dirs: string[];
  private readonly hosts = new Map<string, HostModel>();
  private readonly guests = new Map<string, GuestModel>();

  constructor(extraDirs: readonly string[] = []) {
    this.dirs = [...extraDirs.map((d) => resolvePath(d)), join(packageRoot(), 'profiles')];
  }

  /** Every shipped or search-path profile name -> file. */
  names(): Map<string, string> {
    const all = new Map<string, string>();
    for (const d of this.dirs) for (const [n, f] of profileIndex(d)) if (!all.has(n)) all.set(n, f);
    return all;
  }

  /** A reference given on the command line or in `extends`: a path (relative to `base`) or a name. */
  private fileFor(ref: string, base: string | undefined, what: string, from?: Diagnostic): string {
    if (looksLikePath(ref)) return resolvePath(base ?? '.', ref);
    const f = this.names().get(ref);
    if (f) return f;
    if (base && existsSync(resolvePath(base, ref))) return resolvePath(base, ref);
    const known = [...this.names().keys(), ...(what === 'guest' ? ['default'] : [])];
    const msg = `unknown ${what} profile '${ref}'${hint(ref, known)}`;
    if (from) throw new InputError([{ ...from, message: msg }]);
    throw new UsageError(msg);
  }

  /** Load a document and its `extends` chain, merged parent-first. */
  private chain(file: string, kind: Kind, seen: string[] = []): { data: Obj; docs: LoadedDocument[] } {
    const doc = loadDocument(file, kind);
    if (seen.includes(file)) throw new InputError([doc.at(['extends'], `cyclic extends: ${[...seen, file].map(displayPath).join(' -> ')}`)]);
    const ext = doc.data.extends as string | undefined;
    if (!ext) return { data: doc.data, docs: [doc] };
    const parentFile = this.fileFor(ext, dirname(file), kind.toLowerCase(), doc.at(['extends'], ''));
    const parent = this.chain(parentFile, kind, [...seen, file]);
    const { extends: _drop, ...own } = doc.data;
    return { data: { ...parent.data, ...own }, docs: [...parent.docs, doc] };
  }

  host(ref: string): HostModel {
    const file = this.fileFor(ref, undefined, 'host');
    const cached = this.hosts.get(file);
    if (cached) return cached;
    const { data, docs } = this.chain(file, 'Host');
    const owner = ownerOf(docs);
    const problems: Problems = [];
    const at = (key: string) => owner(key).at;
    for (const key of ['kernel', 'vmm', 'cpu'])
      if (data[key] === undefined) problems.push(docs.at(-1)!.at([], `missing required key '${key}' (not set here nor in its extends chain)`));
    if (problems.length) throw new InputError(problems);
    const kernel =
      typeof data.kernel === 'string'
        ? kernelByName(data.kernel, at('kernel'), ['kernel'], problems)
        : kernelObject(data.kernel as Obj, owner('kernel').file, at('kernel'), problems);
    const vmm =
      typeof data.vmm === 'string' ? vmmByName(data.vmm, at('vmm'), ['vmm'], problems) : vmmObject(data.vmm as Obj, owner('vmm').file, at('vmm'), problems);
    const cpu = cpuModel(data.cpu, at('cpu'), problems);
    if (problems.length || !kernel || !vmm || !cpu) throw new InputError(problems);
    const host: HostModel = deepFreeze({
      name: String(data.name),
      ...(data.description ? { description: String(data.description) } : {}),
      file,
      kernel,
      vmm,
      cpu,
      mitigations: (data.mitigations as HostModel['mitigations'] | undefined) ?? {},
    });
    this.hosts.set(file, host);
    return host;
  }

  guest(ref: string): GuestModel {
    if (ref === 'default') return DEFAULT_GUEST;
    const file = this.fileFor(ref, undefined, 'guest');
    const cached = this.guests.get(file);
    if (cached) return cached;
    const { data, docs } = this.chain(file, 'Guest');
    const owner = ownerOf(docs);
    const problems: Problems = [];
    const targetCpus = (data.targetCpus as Obj[] | undefined)?.map((t, i) => cpuIdentity(t, owner('targetCpus').at, ['targetCpus', i], problems));
    if (problems.length) throw new InputError(problems);
    const guestKernel = data.guestKernel ? String(data.guestKernel) : undefined;
    if (guestKernel) kernelByName(guestKernel, owner('guestKernel').at, ['guestKernel'], problems);
    if (problems.length) throw new InputError(problems);
    const guest: GuestModel = deepFreeze({
      name: String(data.name),
      ...(data.description ? { description: String(data.description) } : {}),
      file,
      stolenTime: (data.stolenTime as GuestModel['stolenTime'] | undefined) ?? 'auto',
      ...(data.psciVersion ? { psciVersion: String(data.psciVersion) } : {}),
      ...(data.hypercallBitmaps ? { hypercallBitmaps: data.hypercallBitmaps as GuestModel['hypercallBitmaps'] } : {}),
      ...(targetCpus ? { targetCpus: targetCpus.filter((t) => t !== undefined) } : {}),
      ...(guestKernel ? { guestKernel: releaseOf(guestKernel.replace(/^linux-/, '')) } : {}),
      ...(data.pmu !== undefined ? { pmu: Boolean(data.pmu) } : {}),
      ...(data.machineType ? { machineType: String(data.machineType) } : {}),
    });
    this.guests.set(file, guest);
    return guest;
  }

  /** Validate any profile file (Host or Guest) fully, as `validate` does. */
  validateFile(file: string): Kind {
    const doc = loadDocument(file);
    if (doc.kind === 'Host') this.host(file);
    else this.guest(file);
    return doc.kind;
  }
}
