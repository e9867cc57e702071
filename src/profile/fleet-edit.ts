// A Fleet document written or extended by `migcheck fleet add`: one entry per probed
// host, `{ host: FILE, nodes: [NAME] }`. An existing fleet is edited as a YAML document,
// so its comments, order and other entries stay as they were.
import { yamlLib } from './yaml-lib.js';

export interface AddedNode {
  /** the Host file, relative to the fleet's directory (posix separators) */
  readonly host: string;
  readonly node: string;
}

const HEADER = "# Written by `migcheck fleet add`: one entry per probed host (its file and node name).\n# Run it again with more directories to add hosts; entries may be edited by hand.\n";

/** The fleet's text with `add` appended to its hosts (a new fleet named `name` when there is none). */
export function fleetWithNodes(existing: string | undefined, name: string, add: readonly AddedNode[]): string {
  const { Document, parseDocument, isSeq } = yamlLib();
  const entry = (doc: InstanceType<typeof Document>, a: AddedNode) => {
    const n = doc.createNode({ host: a.host, nodes: [a.node] });
    n.flow = true;
    return n;
  };
  if (existing === undefined) {
    const doc = new Document({ apiVersion: 'migcheck/v1', kind: 'Fleet', name, hosts: [] });
    const hosts = doc.get('hosts');
    if (isSeq(hosts)) for (const a of add) hosts.items.push(entry(doc, a));
    return HEADER + doc.toString({ lineWidth: 0 });
  }
  const doc = parseDocument(existing);
  const hosts = doc.get('hosts');
  // the fleet was validated before: hosts is a list
  if (isSeq(hosts)) for (const a of add) hosts.items.push(entry(doc, a));
  return doc.toString({ lineWidth: 0 });
}
