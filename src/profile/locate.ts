// Map a JSON pointer into a parsed YAML document back to line:col.
import type { Document, LineCounter, Node } from 'yaml';
import { yamlLib } from './yaml-lib.js';

export interface Position {
  readonly line: number;
  readonly col: number;
}

export function locate(doc: Document, lc: LineCounter, segs: readonly string[], preferKey = false): Position {
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  let node = doc.contents as Node | null | undefined;
  let keyNode: Node | undefined;
  let last: Node | undefined = node ?? undefined;
  for (const seg of segs) {
    if (isAlias(node)) node = node.resolve(doc) as Node | undefined;
    let next: Node | undefined;
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
      if (pair) {
        keyNode = pair.key as Node;
        next = (pair.value ?? pair.key) as Node;
      }
    } else if (isSeq(node)) {
      next = node.items[Number(seg)] as Node | undefined;
    }
    if (!next) break; // closest existing ancestor
    last = next;
    node = next;
  }
  const target = preferKey && keyNode ? keyNode : last;
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lc.linePos(offset);
  return { line, col };
}
