// What a scheduler accepts as a node's name, checked before any label or trait is written:
// Kubernetes node names are DNS-1123 subdomains (lowercase letters, digits, '-' and '.',
// each dot-separated part starting and ending with a letter or digit, 253 characters in
// all); Placement resource provider names are at most 200 characters. Both need names:
// a fleet entry that only counts its hosts cannot be labelled.
import type { FleetModel } from '../model.js';

export type Scheduler = 'kubernetes' | 'openstack';

export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_NODE_NAME: Record<Scheduler, number> = { kubernetes: 253, openstack: 200 };

export interface NameProblem {
  readonly segs: readonly (string | number)[];
  readonly message: string;
}

const what: Record<Scheduler, string> = { kubernetes: 'kubectl labels', openstack: 'Placement traits' };

/** Where the fleet (and, with targets, nothing more: targets run on the same machines) falls short of the scheduler's names. */
export function nodeNameProblems(fleet: FleetModel, scheduler: Scheduler): NameProblem[] {
  const out: NameProblem[] = [];
  const max = MAX_NODE_NAME[scheduler];
  const k8s = scheduler === 'kubernetes';
  const hosts = fleet.hosts;
  for (let i = 0; i < hosts.length; i++) {
    const e = hosts[i]!;
    const nodes = e.nodes;
    if (!nodes) {
      out.push({ segs: ['hosts', i], message: `${what[scheduler]} need the machines' names: list this entry's ${e.count} host${e.count === 1 ? '' : 's'} under nodes instead of a count` });
      continue;
    }
    for (let j = 0; j < nodes.length; j++) {
      const n = nodes[j]!;
      if (n.length > max) out.push({ segs: ['hosts', i, 'nodes', j], message: `a ${k8s ? 'Kubernetes node' : 'resource provider'} name has at most ${max} characters, this one ${n.length}` });
      else if (k8s && !DNS1123_SUBDOMAIN.test(n))
        out.push({ segs: ['hosts', i, 'nodes', j], message: `'${n}' is not a Kubernetes node name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit)` });
    }
  }
  return out;
}
