// A rule's key declares the parts of a VM state it reads (RuleKey.reads, src/rules/rule.ts): a
// verdict grid takes a rule's side ids from another grid whose states share those parts
// (src/solver/verdict-grid.ts), so a part read but not declared would give a grid another
// guest's ids. Every key is run here on states that record what is read of them, over every
// test host and guest (guests also with a machine type filled in from a source): each rule
// reads exactly what it declares. Caches inside keys hide reads only for parts that decide
// the cache (a part object stands for the others made with it), and the first state of each
// still reads them all.
import { describe, expect, it } from 'vitest';
import type { VmState } from '../../src/solver/vm-state.js';
import { vmState } from '../../src/solver/vm-state.js';
import { withSourceMachineType } from '../../src/solver/machine-state.js';
import { rules } from '../../src/rules/index.js';
import { ableHosts, guests, probeFixtureHosts } from '../property/arbitrary-hosts.js';
import { idInputHosts, listHosts, pointHosts } from '../property/special-hosts.js';

/** s, recording each part read of it (its host is free) and each field of its guest as guest.X */
function recording(s: VmState, seen: Set<string>): VmState {
  const guest = (g: object) => new Proxy(g, { get: (t, p) => (seen.add(`guest.${String(p)}`), Reflect.get(t, p)) });
  const endpoint = (e: VmState['endpoint']) => new Proxy(e, { get: (t, p) => (p === 'host' ? t.host : p === 'guest' ? guest(t.guest) : (seen.add(`endpoint.${String(p)}`), Reflect.get(t, p))) });
  // `base` is read by the memo (a key without the machine type is its base state's), not by the key
  return new Proxy(s, { get: (t, p) => (p === 'endpoint' ? endpoint(t.endpoint) : (p !== 'base' && seen.add(String(p)), Reflect.get(t, p))) });
}

const hosts = [...ableHosts, ...probeFixtureHosts, ...listHosts, ...idInputHosts, ...pointHosts];

describe('each rule key reads what it declares', () => {
  for (const rule of rules)
    it(rule.id, () => {
      expect(rule.memo, 'every rule declares a key').toBeDefined();
      const memo = rule.memo!;
      const seen = new Set<string>();
      for (const g of guests)
        for (const h of hosts)
          for (const asked of [g, withSourceMachineType(g, hosts[(hosts.indexOf(h) + 1) % hosts.length]!)]) {
            const st = vmState({ host: h, guest: asked });
            // the state the memo keys (machine: the filled-in one, else the guest as given)
            const keyed = memo.machine ? st : (st.base ?? st);
            rule.keyId(0, recording(keyed, seen));
            rule.keyId(1, recording(keyed, seen));
          }
      expect([...seen].sort()).toEqual([...memo.reads].sort());
    });
});
