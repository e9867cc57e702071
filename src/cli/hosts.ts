// The host set of a fleet report: hosts named on the command line (one each) and/or a
// Fleet file's hosts with their counts (and, when asked, their upgrade targets).
import type { FleetModel, GuestModel, HostModel } from '../model.js';
import { UsageError } from '../profile/diagnostics.js';
import type { Context } from './context.js';
import { fleetEntries } from '../fleet/groups.js';

export interface HostSetArgs {
  hosts?: string[];
  fleet?: string;
  withTargets?: boolean;
}

export const hostSetOptions = {
  fleet: { type: 'string', describe: 'a Fleet file (hosts with counts and upgrade targets)' },
  'with-targets': { type: 'boolean', default: false, describe: "also the fleet's upgradeTo hosts" },
} as const;

export function hostSet(ctx: Context, args: HostSetArgs): { fleet?: FleetModel; entries: { host: HostModel; count: number }[] } {
  const hosts = args.hosts ?? [];
  if (!hosts.length && !args.fleet) throw new UsageError('name some hosts (files or shipped names) or --fleet FILE');
  const fleet = args.fleet ? ctx.resolver.fleet(args.fleet) : undefined;
  // one array, not copied again (a fleet has 100,000 entries)
  const entries = fleet ? fleetEntries(fleet, Boolean(args.withTargets)) : [];
  hosts.forEach((h, i) => entries.push({ host: ctx.resolver.host(h, `hosts[${i}]`), count: 1 }));
  return { ...(fleet ? { fleet } : {}), entries };
}

/** --guest (repeatable) wins over the fleet's guests; otherwise the host defaults. */
export function guestSet(ctx: Context, guests: readonly string[] | undefined, fleet?: FleetModel): readonly GuestModel[] {
  if (guests?.length) return guests.map((g) => ctx.resolver.guest(g, '--guest'));
  return fleet?.guests ?? [ctx.resolver.guest('default')];
}
