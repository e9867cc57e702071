// require() for dist/check.cjs with V8's code cache: the gate's start-up is mostly compiling
// that bundle, and the build (scripts/build.mjs) stores the bytecode of a sample check beside
// it (check.cjs.cache). The cache names the build it belongs to (a random id the build also
// writes into the bundle's first line) and V8 checks its own version and flags: a cache from
// another build is not used, one V8 rejects is ignored, and either way the bundle is compiled
// from source as a plain require() would (test/cli/code-cache.test.ts).
'use strict';
const { readFileSync } = require('node:fs');
const { isAscii } = require('node:buffer');
const { dirname } = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const ID = /^\/\*build ([0-9a-f]{32})\*\//;
const ID_BYTES = 32;

/**
 * The bundle's require: Node's built-ins (all a plain check asks for) directly, anything else
 * through Module.createRequire(file), made on first use (its file URL costs ~1-2 ms of start-up).
 */
function lazyRequire(file) {
  let real;
  const full = () => (real ??= Module.createRequire(file));
  const req = (id) => (typeof id === 'string' && id.startsWith('node:') ? require(id) : full()(id));
  for (const key of ['resolve', 'cache', 'main', 'extensions']) Object.defineProperty(req, key, { get: () => full()[key], enumerable: true });
  return req;
}

/** { exports, cache: 'used' | 'rejected' | 'stale' | 'none' } */
function load(file, cacheFile = `${file}.cache`) {
  // the build writes the bundles as ASCII: read as one-byte text, half the memory of UTF-16
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData;
  let cache = 'none';
  try {
    const data = readFileSync(cacheFile);
    const id = ID.exec(source);
    if (id && data.length > ID_BYTES && data.toString('latin1', 0, ID_BYTES) === id[1]) cachedData = data.subarray(ID_BYTES);
    else cache = 'stale';
  } catch {}
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(mod.exports, mod.exports, lazyRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, cache, script };
}

/** The cache bytes for a build: its id, then V8's data (after the sample run, lazily compiled functions included). */
const cacheBytes = (id, script) => Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]);

module.exports = { load, cacheBytes, ID };
