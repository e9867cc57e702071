// A GuestModel as the Guest profile a user saves and passes with --guest.
import { yamlLib } from '../profile/yaml-lib.js';
import type { GuestModel } from '../model.js';
import { hex32, hex64 } from '../kb/cpus.js';
import { plainYaml } from './plain-yaml.js';

export function guestDoc(g: GuestModel): Record<string, unknown> {
  return {
    apiVersion: 'migcheck/v1',
    kind: 'Guest',
    name: g.name,
    ...(g.description ? { description: g.description } : {}),
    ...(g.psciVersion ? { psciVersion: g.psciVersion } : {}),
    ...(g.hypercallBitmaps ? { hypercallBitmaps: g.hypercallBitmaps } : {}),
    stolenTime: g.stolenTime,
    ...(g.targetCpus
      ? { targetCpus: g.targetCpus.map((c) => ({ midr: hex32(c.midr), ...(c.revidr ? { revidr: hex64(c.revidr) } : {}), ...(c.aidr ? { aidr: hex64(c.aidr) } : {}) })) }
      : {}),
    ...(g.guestKernel ? { guestKernel: `linux-${g.guestKernel}` } : {}),
    ...(g.pmu !== undefined ? { pmu: g.pmu } : {}),
    ...(g.machineType ? { machineType: g.machineType } : {}),
    ...(g.machineOptions ? { machineOptions: g.machineOptions } : {}),
    ...(g.cpu ? { cpu: g.cpu } : {}),
  };
}

// most guests are plain words and numbers: written without loading the yaml library
export const guestYaml = (g: GuestModel) => {
  const doc = guestDoc(g);
  return plainYaml(doc) ?? yamlLib().stringify(doc, { lineWidth: 0, flowCollectionPadding: false, collectionStyle: 'block' });
};
