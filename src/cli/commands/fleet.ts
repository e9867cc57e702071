import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { InputError, UsageError, type Diagnostic } from '../../profile/diagnostics.js';
import { displayPath } from '../../profile/load.js';
import { fleetWithNodes, type AddedNode } from '../../profile/fleet-edit.js';
import { fleetName, nodeName as validNode } from '../../profile/schema-problems.js';
import type { Command } from '../context.js';

const HOSTNAME_EVIDENCE = '/proc/sys/kernel/hostname';

/** The node a probed profile is: its name when the probe read it from the hostname, else the file's base name. */
function nodeName(file: string, data: Record<string, unknown>): { node: string; from: 'hostname' | 'file' } {
  const evidence = ((data.probe as { evidence?: Record<string, unknown> } | undefined)?.evidence ?? {}).name;
  if (typeof evidence === 'string' && evidence.startsWith(HOSTNAME_EVIDENCE) && typeof data.name === 'string') return { node: data.name, from: 'hostname' };
  return { node: basename(file, extname(file)), from: 'file' };
}

const profileFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());

export const fleet: Command<{ action: 'add'; file: string; dirs: string[]; name?: string }> = {
  command: 'fleet <action> <file> <dirs..>',
  describe: 'fleet add FLEET DIR...: build or extend a Fleet from directories of probed Host profiles, one named node per file',
  positional: {
    action: { choices: ['add'], describe: 'add: the Host profiles in each DIR become nodes of FLEET (created when missing)' },
    file: { type: 'string', describe: 'the Fleet file, written in place (or to --output)' },
    dirs: { type: 'string', array: true, describe: 'directories of Host profiles (migcheck probe -o DIR/HOST.yaml on each host)' },
  },
  examples: ['fleet add eu-west.yaml probed/rack-*/', 'fleet add new.yaml probed/ --name eu-west -o -'],
  options: {
    name: { type: 'string', describe: "the new fleet's name (default: the file's base name)" },
  },
  async run(args, ctx) {
    const fleetFile = resolve(args.file);
    const base = dirname(fleetFile);
    const exists = existsSync(fleetFile);
    // the fleet as it is, validated (a bad fleet is not extended)
    const current = exists ? ctx.resolver.fleet(fleetFile) : undefined;
    if (exists) ctx.readsFile(fleetFile);
    const name = args.name ?? basename(fleetFile, extname(fleetFile));
    if (current && args.name !== undefined && args.name !== current.name) throw new UsageError(`--name ${args.name}: ${displayPath(fleetFile)} is fleet ${current.name} already`);
    if (!exists && !fleetName(name)) throw new UsageError(`fleet name '${name}': use letters, digits and . _ + - (--name NAME)`);
    const taken = new Map<string, string>(current?.hosts.flatMap((e) => (e.nodes ?? []).map((n): [string, string] => [n, `${displayPath(fleetFile)}`])) ?? []);
    const listed = new Set(current?.hosts.flatMap((e) => [e.host.file, e.upgradeTo?.file].filter((f): f is string => Boolean(f)).map((f) => resolve(f))) ?? []);
    const hostNames = new Map<string, string>(current?.hosts.flatMap((e) => [[e.host.name, e.host.file ?? ''] as [string, string]]) ?? []);
    const added: AddedNode[] = [];
    const problems: Diagnostic[] = [];
    let skipped = 0;
    for (const dir of args.dirs) {
      let files: string[];
      try {
        if (!statSync(dir).isDirectory()) throw new Error('not a directory');
        files = profileFiles(dir);
      } catch (err) {
        throw new UsageError(`${dir}: cannot read the directory (${(err as Error).message.replace(/^[A-Z]+: /, '')})`);
      }
      for (const file of files) {
        const abs = resolve(file);
        if (abs === fleetFile) continue;
        // read once: the resolver keeps it for host() below
        const doc = ctx.resolver.document(abs);
        if (doc.kind !== 'Host') {
          skipped++;
          continue;
        }
        if (listed.has(abs)) {
          skipped++;
          continue;
        }
        // validated as every profile is: a bad one is exit 3 where it is wrong
        const host = ctx.resolver.host(abs);
        const { node, from } = nodeName(abs, doc.data);
        const at = (message: string) => (from === 'hostname' ? doc.at(['name'], message) : doc.at([], message));
        if (!validNode(node)) problems.push(at(`node name '${node}' (from the ${from === 'hostname' ? 'hostname' : 'file name'}) is not one a fleet takes: letters, digits, '.', '_' and '-', starting and ending with a letter or digit${from === 'file' ? '; rename the file' : ''}`));
        else if (taken.has(node)) problems.push(at(`node '${node}' is already in ${taken.get(node)}; a node is one machine`));
        else if (hostNames.has(host.name) && hostNames.get(host.name) !== abs) problems.push(doc.at(['name'], `host name '${host.name}' is also the name of ${displayPath(hostNames.get(host.name)!)}; names must be unique in a fleet (probe --name NAME)`));
        else {
          taken.set(node, displayPath(abs));
          hostNames.set(host.name, abs);
          listed.add(abs);
          added.push({ host: relative(base, abs).split(sep).join('/'), node });
        }
      }
    }
    if (problems.length) throw new InputError(problems);
    if (!added.length && !exists) throw new UsageError(`no Host profiles in ${args.dirs.join(', ')}: nothing to write`);
    const text = fleetWithNodes(exists ? readFileSync(fleetFile, 'utf8') : undefined, name, added);
    if (ctx.args.output) await ctx.emit(text, true);
    else {
      const { WriteFailed, writeOutput } = await import('../write-output.js');
      try {
        await writeOutput(fleetFile, text);
      } catch (err) {
        if (err instanceof WriteFailed) throw new UsageError(`cannot write ${args.file}: ${err.message}`);
        throw err;
      }
    }
    if (!ctx.args.quiet) ctx.io.stderr.write(`${exists ? 'extended' : 'wrote'} ${displayPath(fleetFile)}: ${added.length} node${added.length === 1 ? '' : 's'} added${skipped ? `, ${skipped} file${skipped === 1 ? '' : 's'} skipped (already listed, or not a Host)` : ''}\n`);
    return 0;
  },
};
