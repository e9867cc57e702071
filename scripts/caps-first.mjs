// The schemas as compiled: a list over its maxItems (a mapping over its maxProperties) has its
// entries checked only when it is within the cap. With allErrors, ajv otherwise checks
// every entry of a list no real host can hold (75,000 bitmap names: 75,000 enum problems
// built, worded and counted for one "at most 16 entries" line). The documents a schema
// accepts are the same either way; only the problems beside a broken cap go.
// test/property/caps-first.test.ts holds both to that.

const LIST_CHECKS = ['items', 'additionalItems', 'uniqueItems', 'contains'];
const MAP_CHECKS = ['properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'dependencies'];

/** `node` with `checks` moved under `if: {cap} then: {…}` (in an allOf: the node may have its own if) */
function guard(node, cap, checks) {
  const moved = Object.fromEntries(checks.filter((k) => k in node).map((k) => [k, node[k]]));
  if (!Object.keys(moved).length) return node;
  const rest = Object.fromEntries(Object.entries(node).filter(([k]) => !(k in moved)));
  return { ...rest, allOf: [...(rest.allOf ?? []), { if: { [cap]: node[cap] }, then: moved }] };
}

/** A copy of a JSON Schema with every capped list's and mapping's other checks behind its cap. */
export function capsFirst(schema) {
  if (Array.isArray(schema)) return schema.map(capsFirst);
  if (!schema || typeof schema !== 'object') return schema;
  // enum and const values are data, not schemas
  let node = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'enum' || k === 'const' || k === 'required' ? v : capsFirst(v)]));
  if (typeof node.maxItems === 'number') node = guard(node, 'maxItems', LIST_CHECKS);
  if (typeof node.maxProperties === 'number') node = guard(node, 'maxProperties', MAP_CHECKS);
  return node;
}
