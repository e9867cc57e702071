// The shapes no parser is given (load.ts screen refuses them with a located line); the fast
// reader (quick-yaml.ts) declines them too, so the same file meets the same refusal on both paths.

/** Most items one `[...]`/`{...}` may hold before the YAML parser sees it: real lists are at most 4,096 long, and the parser slows by the square of a long one. */
export const MAX_FLOW_ITEMS = 5000;

/** Deepest nesting a profile may have: real ones are under 8; the YAML parser recurses per level. */
export const MAX_NESTING = 64;
