// Build: knowledge base YAML -> src/generated/kb.json, JSON Schemas -> precompiled
// ajv standalone validators (src/generated/validators.cjs), then one esbuild bundle
// (dist/check.cjs, dist/cli.cjs, dist/yaml.cjs). Runs from `npm ci` (prepare) and before `npm test`.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { capsFirst } from './caps-first.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gen = join(root, 'src/generated');
mkdirSync(gen, { recursive: true });
const readYaml = (p) => parse(readFileSync(join(root, p), 'utf8'));

// ARM64_SYS_REG(op0,op1,CRn,CRm,op2): arch/arm64/include/uapi/asm/kvm.h
const sysregId = ([op0, op1, crn, crm, op2]) =>
  '0x' + (0x6030000000130000n | BigInt((op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2)).toString(16);

const registerFile = readYaml('kb/registers.yaml');
const registers = registerFile.registers.map((r) => ({
  ...r,
  ...(r.encoding ? { id: sysregId(r.encoding) } : {}),
}));
const errata = readYaml('kb/arm64-errata.yaml');
const docs = Object.fromEntries(
  readdirSync(join(root, 'docs/rules'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => [f.slice(0, -3), readFileSync(join(root, 'docs/rules', f), 'utf8')]),
);
// the kernel timeline's changes in release order: src/kb/kernels.ts replays them from the nearest
// release it has folded, which needs that order (test/kb/timeline.test.ts checks it too)
const releaseParts = (r) => r.split('.').map(Number);
const kernelTimeline = readYaml('kb/kernel-timeline.yaml');
kernelTimeline.changes.forEach((c, i) => {
  const prev = i && releaseParts(kernelTimeline.changes[i - 1].release);
  const cur = releaseParts(c.release);
  const before = prev && prev.findIndex((v, k) => v !== (cur[k] ?? 0));
  if (prev && before >= 0 && prev[before] > (cur[before] ?? 0)) throw new Error(`build: kb/kernel-timeline.yaml change ${i} (${c.release}) comes after ${kernelTimeline.changes[i - 1].release}: keep the changes in release order`);
});
const kb = {
  registers,
  // a table's status and reference sit beside it (test/kb/statuses.test.ts walks them)
  registersStatus: registerFile.registersStatus,
  registersReference: registerFile.registersReference,
  kernel: kernelTimeline,
  vmm: readYaml('kb/vmm-timeline.yaml'),
  cpuProperties: readYaml('kb/cpu-properties.yaml'),
  idRegisters: readYaml('kb/id-registers.yaml'),
  cores: errata.cores,
  coresSource: errata.coresSource,
  spectre: errata.spectre,
  // entries described in prose (Spectre classes, Apple lists) match no MIDR range here
  errata: errata.errata.map((e) => (Array.isArray(e.affects) ? e : { ...e, affects: [], affectsNote: e.affects })),
  errataSources: errata.sources,
};
writeFileSync(join(gen, 'kb.json'), JSON.stringify(kb));
// rule pages only `explain` reads: kept out of every other command's start-up
writeFileSync(join(gen, 'docs.json'), JSON.stringify(docs));

// Precompiled validators: CJS because ajv's ESM standalone output still require()s (ajv#2209).
const schemas = { host: 'schemas/host.schema.json', guest: 'schemas/guest.schema.json', fleet: 'schemas/fleet.schema.json' };
const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, code: { source: true, esm: false } });
ajv.addVocabulary(['x-expected']);
const ids = {};
for (const [kind, path] of Object.entries(schemas)) {
  const schema = JSON.parse(readFileSync(join(root, path), 'utf8'));
  ajv.addSchema(capsFirst(schema));
  ids[kind] = schema.$id;
}
writeFileSync(join(gen, 'validators.cjs'), standaloneCode(ajv, ids));
// the same validators one kind a file, for the bundles (validatorsByKind below): a check of two
// Host files never initialises the Guest and Fleet validators, nor one of plain Hosts any
for (const kind of Object.keys(ids)) writeFileSync(join(gen, `validators-${kind}.cjs`), standaloneCode(ajv, { [kind]: ids[kind] }));
writeFileSync(
  join(gen, 'validators.d.cts'),
  `import type { ValidateFunction } from 'ajv';\n${Object.keys(ids)
    .map((k) => `export declare const ${k}: ValidateFunction;`)
    .join('\n')}\n`,
);

if (!process.argv.includes('--no-bundle')) {
  const { build } = await import('esbuild');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // one self-contained file per entry, loaded by bin/migcheck: the yargs-free `check`
  // (CommonJS: no ESM loader start-up on the gate's path) and the full CLI
  // the knowledge base as JSON.parse of one string: V8 parses JSON faster than the object
  // literal esbuild would write, and start-up parses it on every run. (Not the JSON Schemas the
  // sources import: small, and as JSON.parse they cost the gate ~1 M instructions more.) Its non-ASCII characters
  // (a few '…') as JSON escapes: one of them made V8 hold the whole 128 KB text as UTF-16 —
  // twice the code cache bytes to read and deserialise, and a slower parse — for the same value
  const asciiJson = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const jsonParse = {
    name: 'json-parse',
    setup(b) {
      b.onLoad({ filter: /generated[\\/](kb|docs)\.json$/ }, (args) => ({ contents: `module.exports = JSON.parse(${JSON.stringify(asciiJson(readFileSync(args.path, 'utf8')))});`, loader: 'js' }));
    },
  };
  // validators.cjs in the bundles: each kind's validator from its own file, required when it is
  // first read (the module's top level builds its schema objects: ~1 ms of the gate's start-up
  // for the three). test/schemas/validators-by-kind.test.ts holds them to validators.cjs.
  const validatorsByKind = {
    name: 'validators-by-kind',
    setup(b) {
      b.onLoad({ filter: /generated[\\/]validators\.cjs$/ }, () => ({
        contents: `"use strict";${Object.keys(ids).map((k) => `let ${k};Object.defineProperty(exports,${JSON.stringify(k)},{enumerable:true,get:()=>${k}??=require("./validators-${k}.cjs").${k}});`).join('')}`,
        loader: 'js',
      }));
    },
  };
  // yargs' ESM platform shim, as the full CLI bundles it, without what its top level costs every
  // command (~5-8 ms): `process.stdout.columns` read at load made process.stdout (Node's stream
  // modules) although every command writes through its Io; `import 'assert'` loaded node:assert
  // for two checks that only throw on a yargs bug; `fileURLToPath(import.meta.url)` made the
  // bundle's file URL to get back the file name the CommonJS bundle already has (__filename; the
  // same string, a URL round trip of a path is the path). The columns are read when yargs asks
  // (it draws no help here: help.ts does), and assert is required only to throw. Each rewrite
  // must find its text exactly once: a yargs whose shim reads otherwise stops the build.
  const yargsShimEdits = [
    ["import { notStrictEqual, strictEqual } from 'assert'\n", ''],
    [
      'assert: {\n    notStrictEqual,\n    strictEqual\n  },',
      "assert: {\n    notStrictEqual: (a, b, m) => { if (Object.is(a, b)) require('node:assert').notStrictEqual(a, b, m) },\n    strictEqual: (a, b, m) => { if (!Object.is(a, b)) require('node:assert').strictEqual(a, b, m) }\n  },",
    ],
    ['__dirname = fileURLToPath(import.meta.url);', '__dirname = __filename;'],
    [
      "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
      "get stdColumns() { return typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null }",
    ],
  ];
  const yargsShim = {
    name: 'yargs-shim',
    setup(b) {
      b.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        for (const [from, to] of yargsShimEdits) {
          const at = text.indexOf(from);
          if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`build: yargs' ${args.path} no longer reads ${JSON.stringify(from)} exactly once; review the yargs-shim rewrite in scripts/build.mjs`);
          text = text.slice(0, at) + to + text.slice(at + from.length);
        }
        yargsShimApplied = true;
        return { contents: text, loader: 'js' };
      });
    },
  };
  let yargsShimApplied = false;
  // Node's built-ins as `node:` ids: bin/migcheck hands those to Node at once, and anything else
  // to a require made for the bundle's file (Module.createRequire, its file URL: ~1-2 ms of
  // start-up); yargs' dependencies wrote require("path") and require("fs") at the full CLI's load
  const { builtinModules } = createRequire(import.meta.url)('node:module');
  const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));
  const nodePrefix = {
    name: 'node-prefix',
    setup(b) {
      b.onResolve({ filter: /^[a-z_/]+$/ }, (args) => (builtins.has(args.path) ? { path: `node:${args.path}`, external: true } : undefined));
    },
  };
  // whitespace minified (names kept): a quarter less source to read at every start
  const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', minifyWhitespace: true, metafile: process.argv.includes('--metafile'), plugins: [jsonParse, validatorsByKind, yargsShim, nodePrefix] };
  const buildId = randomBytes(16).toString('hex');
  for (const f of ['check.cjs.cache', 'cli.cjs.cache', 'cli.mjs']) rmSync(join(root, 'dist', f), { force: true });
  // import.meta.url in a CommonJS bundle, made on first use: a plain check never asks for it,
  // and its first URL costs ~1-2 ms of start-up
  const importMeta = "const __import_meta={get url(){return require('node:url').pathToFileURL(__filename).href}};";
  const define = { MIGCHECK_VERSION: JSON.stringify(pkg.version), MIGCHECK_YAML: JSON.stringify('./yaml.cjs') };
  const metas = await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'src/cli/check-fast.ts')],
      outfile: join(root, 'dist/check.cjs'),
      format: 'cjs',
      define: { ...define, 'import.meta.url': '__import_meta.url', 'import.meta.dirname': '__dirname' },
      // the build id names the code cache made below (bin/migcheck)
      banner: { js: `/*build ${buildId}*/${importMeta}` },
    }),
    // the full CLI as CommonJS too, for the same reason and the same code cache
    build({
      ...common,
      entryPoints: [join(root, 'src/cli/main.ts')],
      outfile: join(root, 'dist/cli.cjs'),
      format: 'cjs',
      define: { ...define, 'import.meta.url': '__import_meta.url', 'import.meta.dirname': '__dirname' },
      banner: { js: `/*build ${buildId}*/${importMeta}` },
    }),
  ]);
  if (!yargsShimApplied) throw new Error("build: the full CLI did not bundle yargs' platform-shims/esm.mjs through the yargs-shim rewrite (does 'yargs' resolve elsewhere?)");
  if (common.metafile) writeFileSync(join(root, 'dist/meta.json'), JSON.stringify(metas.map((m) => m.metafile)));
  // both bundles pure ASCII, so bin/migcheck reads them as one-byte strings: one non-ASCII
  // character made V8 hold the whole 0.6/1.1 MB source as UTF-16 (twice: read, then wrapped).
  // esbuild escapes strings and most templates (charset 'ascii') but keeps what an escape would
  // change (String.raw templates, /u regular expressions) and the comments it keeps: the build
  // stops there rather than rewrite them, naming where, so the source can be escaped by hand
  for (const f of ['check.cjs', 'cli.cjs']) {
    const text = readFileSync(join(root, 'dist', f), 'utf8');
    // the plugin above matched (else the bundle holds all three validators and runs their top levels at start)
    if (!text.includes('require_validators_host()')) throw new Error(`build: dist/${f} does not take the Host validator from validators-host.cjs (the validators-by-kind plugin did not apply)`);
    const at = text.search(/[^\x00-\x7f]/);
    if (at >= 0) throw new Error(`build: dist/${f} is not ASCII at offset ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`);
  }
  // the gate's bundle written inside the module wrapper bin/migcheck would otherwise add
  // at each start (V8 copies the joined 0.5 MB string before compiling): dist/check.cjs is only
  // loaded through bin/migcheck. dist/cli.cjs stays a plain CommonJS file (scripts import it).
  const { WRAP } = createRequire(import.meta.url)('../bin/migcheck');
  const checkText = readFileSync(join(root, 'dist/check.cjs'), 'latin1');
  const idEnd = `/*build ${buildId}*/`.length;
  writeFileSync(join(root, 'dist/check.cjs'), checkText.slice(0, idEnd) + WRAP[0] + checkText.slice(idEnd) + WRAP[1], 'latin1');
  // the YAML library as one CJS file, require()d on first use (src/profile/yaml-lib.ts)
  await build({ entryPoints: [join(root, 'node_modules/yaml/dist/index.js')], outfile: join(root, 'dist/yaml.cjs'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  // V8's code caches for both bundles, after sample runs (so the functions they run are
  // compiled in them); made by this Node, used by the same one (bin/migcheck)
  const made = spawnSync(process.execPath, [join(root, 'scripts/code-cache.cjs'), buildId], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0) console.warn('build: no code cache for dist/check.cjs or dist/cli.cjs (they are compiled at each start)');
}
