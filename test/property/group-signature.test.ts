// src/fleet/groups.ts builds a host's signature from the JSON of its parts, each frozen part's
// made once (the knowledge base shares one kernel and VMM model per release), and groups a
// fleet's entries by model identity first. Both must give what the plain definitions give: the
// signature is modelJson of the parts' list (pools sorts by it, so the very string), and the
// groups are those of a signature-per-entry pass. modelJson tries JSON.stringify without its
// bigint replacer first: the same text, bigints or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HostModel } from '../../src/model.js';
import { groupHosts, modelJson, signature, verdictSignature } from '../../src/fleet/groups.js';
import { acceptanceLevel, idEra } from '../../src/kb/id-registers.js';
import { anyHost, renamed } from './arbitrary-hosts.js';

const SEED = 20261201;
const omit = ({ name: _n, sources: _s, ...rest }: { name: string; sources: unknown }) => rest;
/** modelJson as first written: JSON.stringify with the bigint replacer, always */
const hex = (_k: string, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);
const plainJson = (v: unknown) => JSON.stringify(v, hex) ?? 'undefined';
const omitLabels = ({ name: _n, sources: _s, version: _v, release: _r, backports: _b, ...rest }: { name: string; sources: unknown; version: string; release?: string; backports?: unknown }) => rest;
/** verdictSignature as first written: the JSON of the whole list at once */
const plainVerdictSignature = (h: HostModel) => {
  const { machineTypes: _m, ...vmm } = h.vmm;
  return plainJson([omitLabels(h.kernel), omitLabels(vmm), h.cpu, h.otherCpus, h.mitigations, h.probed, h.idRegisters, idEra(h.kernel.release, h.vmm.version, acceptanceLevel(h.kernel))]);
};
const plainSignature = (h: HostModel) => plainJson([omit(h.kernel), omit(h.vmm), h.cpu, h.otherCpus, h.mitigations, h.probed, h.idRegisters]);

/** groupHosts as it was first written: a signature per entry */
function plainGroups(entries: readonly { host: HostModel; count: number }[]) {
  const bySig = new Map<string, { hosts: HostModel[]; names: Set<string>; count: number }>();
  for (const { host, count } of entries) {
    const sig = plainSignature(host);
    let g = bySig.get(sig);
    if (!g) bySig.set(sig, (g = { hosts: [], names: new Set(), count: 0 }));
    if (!g.names.has(host.name)) {
      g.names.add(host.name);
      g.hosts.push(host);
    }
    g.count += count;
  }
  return [...bySig.values()].map((g, i) => ({ id: i + 1, hosts: g.hosts, count: g.count, rep: g.hosts[0]! }));
}

// unfrozen copies (a test's literal host) and parts changed after a copy: nothing cached may stand for them
const variant = anyHost.chain((h) =>
  fc.constantFrom<HostModel>(
    h,
    renamed(h),
    { ...h, cpu: { ...h.cpu, features: [...h.cpu.features, 'extra'] } },
    { ...h, kernel: { ...h.kernel, name: 'other', sources: {} } },
    { ...h, vmm: { ...h.vmm, version: `${h.vmm.version}.1` } },
    { ...h, mitigations: { ...h.mitigations, 'spectre-v2': 'off' } as HostModel['mitigations'] },
    { ...h, idRegisters: undefined },
  ),
);

describe('modelJson', () => {
  it('is JSON.stringify with bigints as hex', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.bigInt(), fc.constant(undefined), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 4 })),
    })).v;
    fc.assert(
      fc.property(fc.oneof(value, anyHost), (v) => {
        expect(modelJson(v)).toBe(plainJson(v));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('host signatures from cached parts', () => {
  it('are the JSON of the parts list', () => {
    fc.assert(
      fc.property(variant, (h) => {
        expect(signature(h)).toBe(plainSignature(h));
        // asked again (cached by host, and by part)
        expect(signature(h)).toBe(plainSignature(h));
        expect(verdictSignature(h)).toBe(plainVerdictSignature(h));
        expect(verdictSignature(h)).toBe(plainVerdictSignature(h));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('group a fleet as a signature per entry does', () => {
    const entries = fc.array(fc.record({ host: variant, count: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(entries, fc.array(fc.nat(), { maxLength: 20 }), (es, repeats) => {
        // the same model object repeated, as a fleet's entries repeat their host
        const all = [...es, ...repeats.map((r) => es[r % es.length]!)];
        expect(groupHosts(all)).toEqual(plainGroups(all));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
