// Host and Guest references (file paths or shipped names) -> frozen models, following
// `extends` chains with cycle detection.
import { dirname, join, resolve as resolvePath } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import type { FleetEntry, FleetModel, GuestModel, HostModel, IdInputs } from '../model.js';
import { releaseOf } from '../kb/version.js';
import { InputError, MAX_DIAGNOSTICS, UsageError, clip, dottedPath, hint, thousands, type Diagnostic, type MoreDiagnostic } from './diagnostics.js';
import { KINDS, checkSchema, displayPath, loadDocument, readDocument, type Kind, type LoadedDocument } from './load.js';
import { entryData, readFleetLines, type FleetLines } from './fleet-lines.js';
import { absolutePath, looksLikePath, packageRoot, profileIndex, searchDirProblem } from './paths.js';
import { cpuIdentity, cpuModel, kernelBase, kernelByName, kernelObject, vmmByName, vmmObject, type Problems } from './components.js';
import { probedOverrides } from './probed.js';
import { INLINE_EXAMPLE, inlineDocument, isInline } from './inline.js';

/** Hosts a fleet may count in all: ordered pairs (n²) stay below 2^53, exact as numbers. */
export const MAX_FLEET_HOSTS = 10_000_000;

export const DEFAULT_GUEST: GuestModel = Object.freeze({ name: 'default', stolenTime: 'auto' as const });

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    // no Object.values array per object: a fleet of 10^5 entries is frozen here
    if (Array.isArray(o)) for (let i = 0; i < o.length; i++) deepFreeze(o[i]);
    else for (const k in o) if (Object.hasOwn(o, k)) deepFreeze((o as Record<string, unknown>)[k]);
  }
  return o;
}

type Obj = Record<string, unknown>;

/** An origin that is an option (--from), for "--from takes …"; a positional's is not. */
const option = (origin: string) => (origin.startsWith('--') ? origin : /^hosts\[\d+\]$/.test(origin) ? 'hosts' : undefined);

/** Each field is located in the document of the extends chain that set it last. */
const ownerOf = (docs: readonly LoadedDocument[]) => (key: string) =>
  [...docs].reverse().find((d) => d.data[key] !== undefined) ?? docs.at(-1)!;

export class Resolver {
  private readonly dirs: string[];
  private readonly hosts = new Map<string, HostModel>();
  private readonly guests = new Map<string, GuestModel>();
  private readonly userDirs: number;
  private index?: Map<string, string>;
  /** every profile file opened (or tried), extends chains and fleet members included */
  private readonly opened = new Set<string>();
  /** names that two files share inside the search directory that supplies the name */
  private readonly ambiguous = new Map<string, { dir: string; files: readonly string[] }>();
  /** each profile file read once: `check --from 2018-sysreg-new --to 2018-old` read, parsed and validated 2018-old twice (an extends parent, then a host) */
  private readonly docs = new Map<string, LoadedDocument>();

  /** `--profiles` directories, then MIGCHECK_PROFILES ones, come first (a user's file overrides a shipped one of the same name); each must be a readable directory. */
  constructor(extraDirs: readonly string[] = [], envDirs: readonly string[] = []) {
    const user = [...extraDirs, ...envDirs].map((d, i) => {
      const from = i < extraDirs.length ? '--profiles' : 'MIGCHECK_PROFILES';
      let abs: string | undefined;
      try {
        abs = d === '' ? undefined : resolvePath(d);
      } catch {
        /* a relative path with no working directory */
      }
      const problem = abs === undefined ? 'is not a usable directory path' : searchDirProblem(abs);
      if (problem) throw new UsageError(`${from} ${d === '' ? "''" : d}: ${problem}`);
      return abs!;
    });
    this.userDirs = user.length;
    this.dirs = [...user, join(packageRoot(), 'profiles')];
  }

  /** The profile files this resolver has opened or tried to (the command's inputs: --output may not replace one). */
  openedFiles(): ReadonlySet<string> {
    return this.opened;
  }

  /** Every shipped or search-path profile name -> file (the first search directory holding the name wins). */
  names(): Map<string, string> {
    if (this.index) return this.index;
    const all = new Map<string, string>();
    this.dirs.forEach((d, i) => {
      const idx = profileIndex(d);
      // an override that cannot be read must not fall back to the shipped profile silently
      if (i < this.userDirs && idx.unreadable.length) throw new UsageError(`--profiles ${displayPath(d)}: cannot read ${idx.unreadable.map(displayPath).join(', ')}`);
      for (const [n, f] of idx.files) {
        if (all.has(n)) continue;
        all.set(n, f);
        const clash = idx.clashes.get(n);
        if (clash) this.ambiguous.set(n, { dir: d, files: clash });
      }
    });
    return (this.index = all);
  }

  /** The file a profile name stands for; a name two files share in one search directory is an error. */
  lookup(name: string, from?: () => Diagnostic): string | undefined {
    const f = this.names().get(name);
    const clash = this.ambiguous.get(name);
    if (clash) {
      const msg = `profile name '${name}' is ambiguous: ${clash.files.map(displayPath).join(' and ')} (both in ${displayPath(clash.dir)}); rename one, or give a path`;
      if (from) throw new InputError([{ ...from(), message: msg }]);
      throw new UsageError(msg);
    }
    return f;
  }

  /** A reference given on the command line or in `extends`: a path (relative to `base`) or a name. */
  private fileFor(ref: string, base: string | undefined, what: string, from?: () => Diagnostic, withHint = true, option?: string): string {
    if (looksLikePath(ref)) return absolutePath(ref, base);
    const f = this.lookup(ref, from);
    if (f) return f;
    if (base && existsSync(resolvePath(base, ref))) return resolvePath(base, ref);
    const near = withHint ? hint(ref, [...this.names().keys(), ...(what === 'guest' ? ['default'] : [])]) : '';
    const msg =
      what === 'guest' && ref === 'default'
        ? "'default' is the built-in guest (every field the host's default); it has no file"
        : `unknown ${what} profile '${clip(ref)}'${near}${option && !near ? this.expected(ref, what, option) : ''}`;
    if (from) throw new InputError([{ ...from(), message: msg }]);
    throw new UsageError(msg);
  }

  /** What a command-line option takes, and the inline form: the words people try first (a kernel name for a host) say why they are not one. */
  private expected(ref: string, what: string, option: string): string {
    if (what !== 'host' && what !== 'guest') return '';
    const kind = what === 'host' ? 'Host' : 'Guest';
    const none: Problems = [];
    const ignore = (): Diagnostic => ({ file: '', line: 1, col: 1, path: '', message: '' });
    const part =
      what !== 'host' ? undefined
      : kernelByName(ref, ignore, [], none) ? 'kernel'
      : /^qemu-/.test(ref) && vmmByName(ref, ignore, [], none) ? 'VMM'
      : cpuModel(ref, ignore, none) ? 'CPU'
      : undefined;
    const example = part === 'kernel' ? `kernel=${ref},vmm=qemu-9.2,cpu=neoverse-n1` : part === 'VMM' ? `kernel=linux-6.6,vmm=${ref},cpu=neoverse-n1` : part === 'CPU' ? `kernel=linux-6.6,vmm=qemu-9.2,cpu=${ref}` : INLINE_EXAMPLE[kind];
    // a host argument (matrix, baseline) has no option to name
    const takes = option === 'hosts' ? 'each host given is' : `${option} takes`;
    return `${part ? `: '${clip(ref)}' is a ${part}, not a host` : ''}; ${takes} a ${kind} file, a shipped ${what} name ('migcheck profiles list') or an inline ${what}: ${option === 'hosts' ? '' : `${option} `}'${example}'`;
  }

  /**
   * A profile file of whatever kind it says, read, parsed and validated once: host(), guest() and
   * fleet() of the same file take it from here (fleet add reads each file's kind before the host).
   */
  document(file: string): LoadedDocument {
    this.opened.add(file);
    for (const kind of KINDS) {
      const doc = this.docs.get(`${kind}:${file}`);
      if (doc) return doc;
    }
    const doc = this.load(file);
    this.docs.set(`${doc.kind}:${file}`, doc);
    return doc;
  }

  /** Every profile file the resolver reads goes through here (test/profile/document-reads.test.ts counts them). */
  protected load(file: string, kind?: Kind, read?: ReturnType<typeof readDocument>): LoadedDocument {
    return read ? loadDocument(file, kind, read) : loadDocument(file, kind);
  }

  /** Load a document and its `extends` chain, merged parent-first. */
  private chain(file: string, kind: Kind, seen: string[] = []): { data: Obj; docs: LoadedDocument[] } {
    this.opened.add(file);
    const key = `${kind}:${file}`;
    let doc = this.docs.get(key);
    if (!doc) this.docs.set(key, (doc = this.load(file, kind)));
    return this.chainOf(doc, file, kind, seen);
  }

  /** The chain below a loaded document: `file` is where it was read (an inline profile has none: its extends is a name or a path from here). */
  private chainOf(doc: LoadedDocument, file: string | undefined, kind: Kind, seen: string[] = []): { data: Obj; docs: LoadedDocument[] } {
    if (file !== undefined && seen.includes(file)) throw new InputError([doc.at(['extends'], `cyclic extends: ${[...seen, file].map(displayPath).join(' -> ')}`)]);
    const ext = doc.data.extends as string | undefined;
    // 'default' is the reserved name of the built-in guest, all defaults: extending it adds nothing
    if (kind === 'Guest' && ext === 'default') {
      const { extends: _default, ...own } = doc.data;
      return { data: own, docs: [doc] };
    }
    if (!ext) return { data: doc.data, docs: [doc] };
    const base = file === undefined ? undefined : dirname(file);
    const parentFile = this.fileFor(ext, base, kind.toLowerCase(), () => doc.at(['extends'], ''));
    if (!existsSync(parentFile)) throw new InputError([doc.at(['extends'], `no such ${kind} file '${ext}' (relative to ${(base && displayPath(base)) || '.'})`)]);
    const parent = this.chain(parentFile, kind, file === undefined ? seen : [...seen, file]);
    const { extends: _drop, ...own } = doc.data;
    return { data: { ...parent.data, ...own }, docs: [...parent.docs, doc] };
  }

  /** A Host file, a shipped name, or an inline host (kernel=…,vmm=…,cpu=…) given as `origin` (e.g. --from). */
  host(ref: string, origin = '(command line)'): HostModel {
    if (isInline(ref)) {
      const key = `inline:${ref}`;
      const cached = this.hosts.get(key);
      if (cached) return cached;
      const host = this.hostFrom(this.chainOf(inlineDocument(ref, 'Host', origin), undefined, 'Host'), undefined);
      this.hosts.set(key, host);
      return host;
    }
    return this.hostFile(this.fileFor(ref, undefined, 'host', undefined, true, option(origin)));
  }

  private hostFile(file: string): HostModel {
    const cached = this.hosts.get(file);
    if (cached) return cached;
    const host = this.hostFrom(this.chain(file, 'Host'), file);
    this.hosts.set(file, host);
    return host;
  }

  private hostFrom({ data, docs }: { data: Obj; docs: LoadedDocument[] }, file: string | undefined): HostModel {
    const owner = ownerOf(docs);
    const problems: Problems = [];
    const at = (key: string) => owner(key).at;
    for (const key of ['kernel', 'vmm', 'cpu'])
      if (data[key] === undefined) problems.push(docs.at(-1)!.at([], `missing required key '${key}' (not set here nor in its extends chain)`));
    if (problems.length) throw new InputError(problems);
    const probe = data.probe as
      | { kvm?: boolean; evidence?: Record<string, string>; registerValues?: Record<string, string>; vcpuFeatures?: string[]; bootOptions?: string[] }
      | undefined;
    const evidence = probe?.evidence ?? {};
    let kernel =
      typeof data.kernel === 'string'
        ? kernelByName(data.kernel, at('kernel'), ['kernel'], problems)
        : kernelObject(data.kernel as Obj, owner('kernel').file, at('kernel'), problems, evidence);
    if (kernel && probe?.kvm && typeof data.kernel === 'object') kernel = { ...kernel, probedRegisterList: true };
    const vmm =
      typeof data.vmm === 'string' ? vmmByName(data.vmm, at('vmm'), ['vmm'], problems) : vmmObject(data.vmm as Obj, owner('vmm').file, at('vmm'), problems);
    const cpu = cpuModel(data.cpu, at('cpu'), problems);
    const otherCpus = ((data.otherCpus as Obj[] | undefined) ?? []).map((c, i) => cpuModel(c, owner('otherCpus').at, problems, ['otherCpus', i]));
    if (problems.length || !kernel || !vmm || !cpu) throw new InputError(problems);
    const unfrozen: HostModel = {
      name: String(data.name),
      ...(data.description ? { description: String(data.description) } : {}),
      ...(file !== undefined ? { file } : {}),
      kernel,
      vmm,
      cpu,
      otherCpus: otherCpus.filter((c) => c !== undefined),
      mitigations: (data.mitigations as HostModel['mitigations'] | undefined) ?? {},
      probed: [],
      ...idInputs(data, probe),
    };
    // only a probed host is compared with what its version implies
    const base = () => (typeof data.kernel === 'object' ? kernelBase(data.kernel as Obj, at('kernel'), []) : undefined);
    return deepFreeze({ ...unfrozen, probed: probe ? probedOverrides(unfrozen, base(), evidence) : [] });
  }

  /** A Guest file, a shipped name, "default", or an inline guest (psciVersion=1.0,…) given as `origin` (e.g. --guest). */
  guest(ref: string, origin = '(command line)'): GuestModel {
    if (ref === 'default') return DEFAULT_GUEST;
    if (isInline(ref)) {
      const key = `inline:${ref}`;
      const cached = this.guests.get(key);
      if (cached) return cached;
      const guest = this.guestFrom(this.chainOf(inlineDocument(ref, 'Guest', origin), undefined, 'Guest'), undefined);
      this.guests.set(key, guest);
      return guest;
    }
    return this.guestFile(this.fileFor(ref, undefined, 'guest', undefined, true, option(origin)));
  }

  private guestFile(file: string): GuestModel {
    const cached = this.guests.get(file);
    if (cached) return cached;
    const guest = this.guestFrom(this.chain(file, 'Guest'), file);
    this.guests.set(file, guest);
    return guest;
  }

  private guestFrom({ data, docs }: { data: Obj; docs: LoadedDocument[] }, file: string | undefined): GuestModel {
    const owner = ownerOf(docs);
    const problems: Problems = [];
    const targetCpus = (data.targetCpus as Obj[] | undefined)?.map((t, i) => cpuIdentity(t, owner('targetCpus').at, ['targetCpus', i], problems));
    if (problems.length) throw new InputError(problems);
    const guestKernel = data.guestKernel ? String(data.guestKernel) : undefined;
    if (guestKernel) kernelByName(guestKernel, owner('guestKernel').at, ['guestKernel'], problems);
    if (problems.length) throw new InputError(problems);
    return deepFreeze({
      name: String(data.name),
      ...(data.description ? { description: String(data.description) } : {}),
      ...(file !== undefined ? { file } : {}),
      stolenTime: (data.stolenTime as GuestModel['stolenTime'] | undefined) ?? 'auto',
      ...(data.psciVersion ? { psciVersion: String(data.psciVersion) } : {}),
      ...(data.hypercallBitmaps ? { hypercallBitmaps: data.hypercallBitmaps as GuestModel['hypercallBitmaps'] } : {}),
      ...(targetCpus ? { targetCpus: targetCpus.filter((t) => t !== undefined) } : {}),
      ...(guestKernel ? { guestKernel: releaseOf(guestKernel.replace(/^linux-/, '')) } : {}),
      ...(data.pmu !== undefined ? { pmu: Boolean(data.pmu) } : {}),
      ...(data.machineType ? { machineType: String(data.machineType) } : {}),
      ...(data.cpu ? { cpu: data.cpu as GuestModel['cpu'] } : {}),
      ...(data.machineOptions ? { machineOptions: data.machineOptions as GuestModel['machineOptions'] } : {}),
    });
  }

  /**
   * A Fleet: host and guest references are resolved relative to the fleet file; a
   * missing file or unknown name is reported where the fleet names it.
   */
  fleet(ref: string): FleetModel {
    const file = this.fileFor(ref, undefined, 'fleet');
    this.opened.add(file);
    const read = readDocument(file, 'Fleet');
    // the usual written form read straight into entries (fleet-lines.ts); anything else, and
    // any problem, by the library path, from the same text
    const lines = readFleetLines(read.text);
    return (lines && this.fleetLines(file, lines)) ?? this.fleetDoc(file, this.load(file, 'Fleet', read));
  }

  /**
   * fleetDoc for a fleet fleet-lines.ts read: the same model, or undefined when the document
   * has any problem (fleetDoc finds and reports it). Each distinct reference is resolved, and
   * its model loaded, once, in the order the entries first name them, as fleetDoc does.
   */
  private fleetLines(file: string, f: FleetLines): FleetModel | undefined {
    const header = f.header;
    if (header.kind !== 'Fleet' || !validFleetHeader(header, f)) return undefined;
    let total = 0;
    for (let k = 0; k < f.length; k++) total += f.nodes[k]?.length ?? (f.count[k] || 1);
    if (total > MAX_FLEET_HOSTS) return undefined;
    const base = dirname(file);
    const fail = (): Diagnostic => {
      throw NOT_PLAIN;
    };
    // a Host file is not looked for before it is read (its read fails instead); a guest is
    const resolveRef = (r: string, what: string, look: boolean): string | undefined => {
      try {
        const found = this.fileFor(r, base, what, fail, false);
        return !look || existsSync(found) ? found : undefined;
      } catch (err) {
        if (err === NOT_PLAIN || err instanceof InputError) return undefined;
        throw err;
      }
    };
    // the references in the order fleetDoc meets them: entry by entry, host before upgradeTo
    const order: number[] = [];
    const met = new Uint8Array(f.refs.length);
    for (let k = 0; k < f.length && order.length < f.refs.length; k++) {
      const h = f.host[k]!;
      const u = f.upgradeTo[k]!;
      if (!met[h]) (met[h] = 1), order.push(h);
      if (u >= 0 && !met[u]) (met[u] = 1), order.push(u);
    }
    const files: string[] = new Array<string>(f.refs.length);
    for (const i of order) {
      const found = resolveRef(f.refs[i]!, 'host', false);
      if (found === undefined) return undefined;
      files[i] = found;
    }
    const guestRefs = (header.guests as string[] | undefined) ?? ['default'];
    const guestFiles: string[] = [];
    for (const g of guestRefs) {
      const found = g === 'default' ? 'default' : resolveRef(g, 'guest', true);
      if (found === undefined) return undefined;
      guestFiles.push(found);
    }
    // models in the order fleetDoc loads them (a Host file's problem is the same error); one
    // name, one file, checked where a model first appears
    const models: HostModel[] = new Array<HostModel>(f.refs.length);
    const byName = new Map<string, string>();
    const named = new Set<HostModel>();
    for (const i of order) {
      let h: HostModel;
      try {
        h = models[i] = this.hostFile(files[i]!);
      } catch {
        // a file that is not there, or any problem in one: fleetDoc reports it where it would
        // (after every reference is resolved; a model is cached only when it loads)
        return undefined;
      }
      if (named.has(h)) continue;
      const seen = byName.get(h.name);
      if (seen !== undefined && seen !== h.file) return undefined;
      if (seen === undefined) byName.set(h.name, h.file!);
      named.add(h);
    }
    const hosts: FleetEntry[] = new Array<FleetEntry>(f.length);
    for (let k = 0; k < f.length; k++) {
      const u = f.upgradeTo[k]!;
      hosts[k] = fleetEntry(models[f.host[k]!]!, f.nodes[k], f.count[k] || undefined, u < 0 ? undefined : models[u]);
    }
    return deepFreeze({
      name: String(header.name),
      ...(header.description ? { description: String(header.description) } : {}),
      file,
      hosts: Object.freeze(hosts),
      guests: guestFiles.map((g) => (g === 'default' ? DEFAULT_GUEST : this.guestFile(g))),
    });
  }

  private fleetDoc(file: string, doc: LoadedDocument): FleetModel {
    this.opened.add(file);
    const base = dirname(file);
    // each reference is resolved once, to its file or to null (a problem): a name repeated
    // 100,000 times is one problem, and past the reported ones (MAX_DIAGNOSTICS) no "did you
    // mean" is searched for; one map, so a reference is looked up once
    const files = new Map<string, string | null>();
    const problems: Diagnostic[] = [];
    let beside: Set<string> | undefined;
    let uncounted = 0;
    const besideFleet = () => {
      try {
        return new Set(readdirSync(base));
      } catch {
        return new Set<string>();
      }
    };
    // where a reference is: built only for a problem that is reported (not 100,000 arrays)
    const placeOf = (list: 'hosts' | 'guests', i: number, key?: string): (string | number)[] => (key === undefined ? [list, i] : [list, i, key]);
    const refFile = (r: string, what: string, list: 'hosts' | 'guests', i: number, key?: string): string | undefined => {
      const known = files.get(r);
      if (known !== undefined) return known ?? undefined;
      if (problems.length > MAX_DIAGNOSTICS) {
        // past the reported problems and the first one left out: counted, neither worded nor located
        // (a bare name is a file beside the fleet only if the directory lists it: one readdir, not a stat per name)
        // the path is built only for a reference that exists: normalising 100,000 paths costs more than the rest
        const path = looksLikePath(r);
        const named = path ? undefined : this.names().get(r);
        const f = named ?? (path ? absolutePath(r, base) : (beside ??= besideFleet()).has(r) ? resolvePath(base, r) : undefined);
        if (f !== undefined && (named || !path || existsSync(f)) && !this.ambiguous.has(r)) return files.set(r, f), f;
        files.set(r, null);
        uncounted++;
        return undefined;
      }
      try {
        const segs = placeOf(list, i, key);
        const f = this.fileFor(r, base, what, () => doc.at(segs, ''), problems.length < MAX_DIAGNOSTICS);
        if (!existsSync(f)) throw new InputError([doc.at(segs, `no such ${what} file '${clip(r)}' (relative to ${displayPath(base) || '.'})`)]);
        files.set(r, f);
        return f;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        files.set(r, null);
        problems.push(...err.diagnostics);
        return undefined;
      }
    };
    const entries = doc.data.hosts as { host: string; count?: number; nodes?: string[]; upgradeTo?: string }[];
    // the schema caps each count; the total keeps ordered host-pair tallies (n²) exact in a double
    let total = 0;
    const over = entries.findIndex((e) => (total += e.nodes?.length ?? e.count ?? 1) > MAX_FLEET_HOSTS);
    if (over >= 0)
      throw new InputError([doc.at(['hosts', over, ...(entries[over]!.nodes ? ['nodes'] : entries[over]!.count === undefined ? [] : ['count'])], `the counts up to this entry total ${total} hosts; a fleet holds at most ${thousands(MAX_FLEET_HOSTS)} hosts, so that host-pair tallies stay exact`)]);
    nodeProblems(entries, doc, problems);
    // every reference resolved (or reported) in entry order; the files are in `files`
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      refFile(e.host, 'host', 'hosts', i, 'host');
      if (e.upgradeTo !== undefined) refFile(e.upgradeTo, 'host', 'hosts', i, 'upgradeTo');
    }
    const guestRefs = (doc.data.guests as string[] | undefined) ?? ['default'];
    const guestFiles = guestRefs.map((g, i) => (g === 'default' ? 'default' : refFile(g, 'guest', 'guests', i)));
    if (uncounted) problems.push({ ...problems[MAX_DIAGNOSTICS]!, more: uncounted } as MoreDiagnostic);
    if (problems.length) throw new InputError(problems);
    // each reference's model once, loaded where the fleet first names it (100,000 entries name a few hundred files)
    const models = new Map<string, HostModel>();
    const model = (r: string) => {
      let m = models.get(r);
      if (m === undefined) models.set(r, (m = this.hostFile(files.get(r)!)));
      return m;
    };
    // names identify hosts in reports: one name, one profile file; a model found to be the
    // one of its name stays so (the first of a name is never replaced), so it is checked once
    const byName = new Map<string, { file: string; segs: (string | number)[] }>();
    const named = new Set<HostModel>();
    const unique = (h: HostModel, i: number, key: 'host' | 'upgradeTo') => {
      if (named.has(h)) return;
      const seen = byName.get(h.name);
      if (seen && seen.file !== h.file) {
        problems.push(doc.at(['hosts', i, key], `host name '${h.name}' is also the name of ${displayPath(seen.file)} (${dottedPath(seen.segs)}); names must be unique in a fleet`));
        return;
      }
      if (!seen) byName.set(h.name, { file: h.file!, segs: ['hosts', i, key] });
      named.add(h);
    };
    const hosts: FleetEntry[] = new Array<FleetEntry>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const host = model(e.host);
      const upgradeTo = e.upgradeTo === undefined ? undefined : model(e.upgradeTo);
      unique(host, i, 'host');
      if (upgradeTo) unique(upgradeTo, i, 'upgradeTo');
      hosts[i] = fleetEntry(host, e.nodes, e.count, upgradeTo);
    }
    if (problems.length) throw new InputError(problems);
    return deepFreeze({
      name: String(doc.data.name),
      ...(doc.data.description ? { description: String(doc.data.description) } : {}),
      file,
      hosts: Object.freeze(hosts),
      guests: guestFiles.map((f) => (f === 'default' ? DEFAULT_GUEST : this.guestFile(f!))),
    });
  }

  /** A host assembled from shipped names on the command line (fence); problems are usage errors. */
  composeHost(kernel: string, vmm: string, cpu: string): HostModel {
    const problems: Problems = [];
    const at = (_segs: readonly (string | number)[], message: string): Diagnostic => ({ file: '(command line)', line: 1, col: 1, path: '', message });
    const k = kernelByName(kernel, at, [], problems);
    const v = vmmByName(vmm, at, [], problems);
    const c = cpuModel(cpu, at, problems);
    if (problems.length || !k || !v || !c) throw new UsageError(problems.map((p) => p.message).join('; '));
    return deepFreeze({ name: `${kernel}+${vmm}`, kernel: k, vmm: v, cpu: c, otherCpus: [], mitigations: {}, probed: [] });
  }

  /** Validate any profile file (Host, Guest or Fleet) fully, as `validate` does. */
  validateFile(file: string): Kind {
    // read once: host() and guest() take the document from the cache
    const doc = this.document(file);
    if (doc.kind === 'Host') this.host(file);
    else if (doc.kind === 'Guest') this.guest(file);
    else {
      // the document just read, not read and validated again (a fleet may be 100,000 lines) when
      // the fleet's own lookup names that same file, under the same displayed name
      const resolved = this.fileFor(file, undefined, 'fleet');
      this.fleetDoc(resolved, looksLikePath(file) && doc.file === displayPath(resolved) ? doc : this.load(resolved, 'Fleet'));
    }
    return doc.kind;
  }
}

/** thrown where fleetLines meets a problem: fleetDoc finds it again and reports it */
const NOT_PLAIN = Symbol('not plain');

/** The Fleet schema accepts the header with the entries fleet-lines.ts read (each one it accepts as written: its first stands for them). */
function validFleetHeader(header: Record<string, unknown>, f: FleetLines): boolean {
  try {
    checkSchema({ ...header, hosts: [entryData(f, 0)] }, 'Fleet', () => {
      throw NOT_PLAIN;
    });
    return true;
  } catch (err) {
    if (err === NOT_PLAIN) return false;
    throw err;
  }
}

/** A fleet's entry, frozen as it is made (deepFreeze would walk 100,000 of them), in one of four fixed shapes. */
function fleetEntry(host: HostModel, nodes: string[] | undefined, count: number | undefined, upgradeTo: HostModel | undefined): FleetEntry {
  if (nodes) {
    Object.freeze(nodes);
    return Object.freeze(upgradeTo ? { host, count: nodes.length, nodes, upgradeTo } : { host, count: nodes.length, nodes });
  }
  return Object.freeze(upgradeTo ? { host, count: count ?? 1, upgradeTo } : { host, count: count ?? 1 });
}

/**
 * Named nodes: an entry gives `nodes` or `count`, not both, and a node is one machine, so
 * its name is listed once in the fleet (the second listing is the one reported).
 */
function nodeProblems(entries: readonly { count?: number; nodes?: string[] }[], doc: LoadedDocument, problems: Diagnostic[]): void {
  // one set operation a node (a fleet lists 100,000); where a name was first listed is looked up
  // for a second listing that is reported only
  const seen = new Set<string>();
  let more = 0;
  const add = (segs: (string | number)[], message: () => string) => {
    if (problems.length > MAX_DIAGNOSTICS) more++;
    else problems.push(doc.at(segs, message()));
  };
  const firstListing = (n: string): (string | number)[] => {
    for (let k = 0; ; k++) {
      const j = entries[k]!.nodes?.indexOf(n) ?? -1;
      if (j >= 0) return ['hosts', k, 'nodes', j];
    }
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const nodes = e.nodes;
    if (!nodes) continue;
    if (e.count !== undefined) add(['hosts', i, 'count'], () => `give count or nodes, not both: with nodes, the count is the number of names (${nodes.length})`);
    for (let j = 0; j < nodes.length; j++) {
      const n = nodes[j]!;
      const size = seen.size;
      if (seen.add(n).size !== size) continue;
      add(['hosts', i, 'nodes', j], () => `node '${clip(n)}' is also listed at ${dottedPath(firstListing(n))}; a node is one machine, listed once in a fleet`);
    }
  }
  if (more) problems.push({ ...problems[MAX_DIAGNOSTICS]!, more } as MoreDiagnostic);
}

/** What decides a Host's ID-register values besides kernel and CPU: probe values, boot options, hand-set values. */
function idInputs(
  data: Obj,
  probe: { registerValues?: Record<string, string>; vcpuFeatures?: string[]; bootOptions?: string[] } | undefined,
): { idRegisters?: IdInputs } {
  const set = Object.fromEntries(Object.entries((data.idRegisters as Record<string, string | number> | undefined) ?? {}).map(([k, v]) => [k, String(v)]));
  const bootOptions = [...new Set([...((data.bootOptions as string[] | undefined) ?? []), ...(probe?.bootOptions ?? [])])];
  const probed = probe?.registerValues && Object.keys(probe.registerValues).length ? probe.registerValues : undefined;
  const sve = data.sveVectorLengths as number[] | undefined;
  if (!probed && !bootOptions.length && !Object.keys(set).length && !sve) return {};
  return {
    idRegisters: {
      ...(sve ? { sveVectorLengths: sve } : {}),
      ...(probed ? { probed, ...(probe?.vcpuFeatures ? { probedVcpuFeatures: probe.vcpuFeatures } : {}) } : {}),
      bootOptions,
      set,
    },
  };
}
