// Writes a synthetic fleet: `distinct` host profiles (kernel × VMM × CPU combinations
// from the shipped knowledge base) and a Fleet listing `hosts` hosts drawn from them
// round-robin, one entry per named host as an inventory export would; each is upgraded to
// the next kernel of its series on the same VMM and CPU. Deterministic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KERNELS = ['5.4', '5.10', '5.15', '5.19', '6.1', '6.2', '6.5', '6.6', '6.8', '6.10', '6.12', '6.13', '6.14', '6.15', '6.16', '6.17', '6.18'];
const VMMS = ['6.2', '7.2', '8.2', '9.2', '10.1', '10.2', '11.1'];
const CPUS = ['neoverse-n1:r3p1', 'neoverse-v1:r1p1', 'neoverse-n2:r0p3', 'cortex-a72:r0p3'];

export function writeFleet(dir, hosts, distinct = 200) {
  mkdirSync(join(dir, 'hosts'), { recursive: true });
  const names = [];
  for (let i = 0; names.length < distinct; i++) {
    const k = KERNELS[i % KERNELS.length];
    const v = VMMS[Math.floor(i / KERNELS.length) % VMMS.length];
    const cpu = CPUS[Math.floor(i / (KERNELS.length * VMMS.length)) % CPUS.length];
    const name = `h${names.length}-${k}-q${v}-${cpu.split(':')[0]}`;
    const [model, revision] = cpu.split(':');
    writeFileSync(join(dir, 'hosts', `${name}.yaml`), `apiVersion: migcheck/v1\nkind: Host\nname: ${name}\nkernel: linux-${k}\nvmm: qemu-${v}\ncpu: { model: ${model}, revision: ${revision} }\n`);
    names.push(name);
  }
  // the profile with the next kernel on the same VMM and CPU, when there is one
  const next = (i) => ((i + 1) % KERNELS.length !== 0 && i + 1 < names.length ? names[i + 1] : undefined);
  const lines = Array.from({ length: hosts }, (_, i) => {
    const p = i % names.length;
    // named nodes, as an inventory lists them (pools --format kubernetes labels them)
    return `  - { host: hosts/${names[p]}.yaml, nodes: [node-${i}]${next(p) ? `, upgradeTo: hosts/${next(p)}.yaml` : ''} }`;
  });
  const file = join(dir, `fleet-${hosts}.yaml`);
  writeFileSync(file, `apiVersion: migcheck/v1\nkind: Fleet\nname: synthetic-${hosts}\nhosts:\n${lines.join('\n')}\n`);
  return file;
}
