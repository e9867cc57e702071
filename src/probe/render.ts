// A probed Host document as YAML: block style, short lists and ids in flow style, a header
// that says what wrote it. Deterministic (no dates, no host-specific paths beyond the evidence).
import type { Node } from 'yaml';
import { yamlLib } from '../profile/yaml-lib.js';

const HEADER = [
  ' Written by `migcheck probe`. Probed fields override what the kernel and VMM versions',
  ' imply; probe.evidence says where each was read (docs/probe.md). Re-probe after a kernel,',
  ' firmware or QEMU update.',
].join('\n');

export function probedYaml(obj: Record<string, unknown>): string {
  const { Document, isMap, isSeq } = yamlLib();
  const doc = new Document(obj);
  const flow = (n: unknown) => {
    if (isMap(n) || isSeq(n)) (n as Node & { flow?: boolean }).flow = true;
  };
  flow(doc.getIn(['cpu'], true));
  const others = doc.getIn(['otherCpus'], true);
  if (isSeq(others)) others.items.forEach(flow);
  for (const key of ['firmwareRegisters', 'systemRegisters', 'psci', 'stolenTime']) flow(doc.getIn(['kernel', key], true));
  const bitmaps = doc.getIn(['kernel', 'hypercallBitmaps'], true);
  if (isMap(bitmaps)) bitmaps.items.forEach((p) => flow(p.value));
  doc.commentBefore = HEADER;
  // every string double-quoted, keys plain: the fast reader's subset (src/profile/quick-yaml.ts)
  return doc.toString({ lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}
