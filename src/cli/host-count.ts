// What a fleet report's title counts: machines once, even when --with-targets adds each
// upgraded host's target profile as a second group member.
import type { FleetModel } from '../model.js';
import type { HostCount } from '../render/matrix.js';

export function hostCount(fleet: FleetModel | undefined, named: readonly string[] | undefined, withTargets: boolean | undefined): { hostCount?: HostCount } {
  if (!fleet || !withTargets) return {};
  const upgraded = fleet.hosts.reduce((n, e) => n + (e.upgradeTo ? e.count : 0), 0);
  if (!upgraded) return {};
  return { hostCount: { hosts: fleet.hosts.reduce((n, e) => n + e.count, 0) + (named?.length ?? 0), upgraded } };
}
