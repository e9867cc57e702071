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
// Module.wrap's text, spelled out (node:module is not loaded at start-up, ~0.5-1 ms): the cache is
// made (scripts/code-cache.cjs) and used through this same wrapper, so they always agree
const WRAP = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];

const ID = /^\/\*build ([0-9a-f]{32})\*\//;
const ID_BYTES = 32;

// node:module, loaded when a property is first read: the bundles require it at the top for
// createRequire (the YAML library, src/profile/yaml-lib.ts), which a plain check never calls
const lazyModule = new Proxy({}, { get: (_t, key) => require('node:module')[key], has: (_t, key) => key in require('node:module') });

/**
 * The bundle's require: Node's built-ins (all a plain check asks for) directly, node:module as
 * above, anything else through Module.createRequire(file), made on first use (its file URL
 * costs ~1-2 ms of start-up).
 */
function lazyRequire(file) {
  let real;
  const full = () => (real ??= require('node:module').createRequire(file));
  const req = (id) => (id === 'node:module' ? lazyModule : typeof id === 'string' && id.startsWith('node:') ? require(id) : full()(id));
  for (const key of ['resolve', 'cache', 'main', 'extensions']) Object.defineProperty(req, key, { get: () => full()[key], enumerable: true });
  return req;
}

/**
 * The script for a bundle's text: compiled as it is when the build wrote the wrapper into the
 * file (dist/check.cjs), else wrapped here. Wrapping costs the gate ~3 ms: V8 flattens the
 * joined 0.5 MB string before it compiles or deserialises. Both are the same text, so the same
 * cache fits either.
 */
const wrapped = (source) => {
  const id = ID.exec(source);
  const at = id ? id[0].length : 0;
  return source.startsWith(WRAP[0], at) && source.endsWith(WRAP[1]) ? source : WRAP[0] + source + WRAP[1];
};

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
  const script = new vm.Script(wrapped(source), { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(mod.exports, mod.exports, lazyRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, cache, script };
}

/** The cache bytes for a build: its id, then V8's data (after the sample run, lazily compiled functions included). */
const cacheBytes = (id, script) => Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]);

module.exports = { load, cacheBytes, ID, WRAP };
