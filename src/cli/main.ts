// The full CLI: yargs wiring only. main() returns the exit code and never calls
// process.exit, so tests drive it in-process; bin/migcheck runs it (dist/cli.cjs).
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../profile/diagnostics.js';
import { reportError } from './errors.js';
import { processIo } from './io.js';
import { GLOBAL_OPTIONS } from './options.js';
import { checkArgv, expandArgv } from './argv.js';
import { Context, type Command, type GlobalArgs, type Io } from './context.js';
import { helpText, helpWidth } from './help.js';
import { coverageLines } from '../kb/coverage.js';
import { VERSION } from './version.js';
import { check } from './commands/check.js';
import { table } from './commands/table.js';
import { explain } from './commands/explain.js';
import { validate } from './commands/validate.js';
import { schema } from './commands/schema.js';
import { profiles } from './commands/profiles.js';
import { matrix } from './commands/matrix.js';
import { baseline } from './commands/baseline.js';
import { plan } from './commands/plan.js';
import { fence } from './commands/fence.js';
import { pools } from './commands/pools.js';
import { fleet } from './commands/fleet.js';
import { probe } from './commands/probe.js';
import { completionCommand } from './commands/completion.js';
export { helpSections, helpText } from './help.js';
export { manPage } from './man.js';

export const COMMANDS: Command<never>[] = [check, table, matrix, baseline, plan, pools, fence, fleet, explain, validate, schema, profiles, probe] as Command<never>[];
COMMANDS.push(completionCommand(() => COMMANDS) as Command<never>);
export { VERSION };

const commandNamed = (w: string | undefined) => COMMANDS.find((c) => c.command.split(' ')[0] === w);

/**
 * The command a help request is for, or null when the line asks for no help: -h/--help
 * anywhere before `--`, `help [COMMAND]` first, or `COMMAND help` (`migcheck check help`).
 * The command is the first word that names one; global options may come before it.
 */
function helpRequest(words: readonly string[]): { command?: Command<never> } | null {
  const end = words.indexOf('--');
  const head = end < 0 ? words : words.slice(0, end);
  const at = head.findIndex((w) => commandNamed(w) !== undefined);
  const command = at < 0 ? undefined : commandNamed(head[at]);
  if (head[0] === 'help') return { command: commandNamed(head[1]) };
  if (at >= 0 && head[at + 1] === 'help') return { command };
  if (head.some((w) => w === '--help' || w === '-h' || w === '--help=true')) return { command };
  return null;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  // spelled out before the command is known: short options are global only and an option
  // name means one thing in every command (a test keeps both so)
  const args = expandArgv(argv, Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)));
  // --version anywhere before `--` answers with the knowledge base's coverage (first line: the bare version)
  const head = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (head.some((w) => w === '--version' || w === '--version=true')) {
    io.stdout.write(`${VERSION}\n${coverageLines().join('\n')}\n`);
    return 0;
  }
  const help = helpRequest(args);
  if (help) {
    io.stdout.write(helpText(COMMANDS, help.command, helpWidth(io.env, io.stdoutIsTTY ? process.stdout.columns : undefined)));
    return 0;
  }
  const cli: Argv = yargs(args)
    .scriptName('migcheck')
    .options(GLOBAL_OPTIONS)
    // options are flat: --from.x is an unknown option, never an object under --from
    .parserConfiguration({ 'dot-notation': false })
    // before yargs validates: a repeated option would reach it as a list
    .middleware((parsed) => {
      const c = COMMANDS.find((c) => c.command.split(' ')[0] === parsed._[0]);
      // help and --version answer whatever else is on the line
      if (c && !parsed.version) checkArgv(args, { ...GLOBAL_OPTIONS, ...c.options });
    }, true)
    .strict()
    .demandCommand(1, 'Specify a command, e.g. migcheck check --from a.yaml --to b.yaml')
    .recommendCommands()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    // help is help.ts's (answered above)
    .help(false)
    // yargs lays out a help text it never prints here (help.ts draws help, .fail() throws):
    // without a width (or with null) it and cliui read process.stdout.columns, and so make
    // process.stdout (Node's stream modules) at every command; the width is never seen
    .wrap(80)
    .version(VERSION);
  for (const c of COMMANDS) {
    cli.command({
      command: c.command,
      describe: c.describe,
      builder: (y: Argv) => {
        for (const [k, v] of Object.entries(c.positional ?? {})) y.positional(k, v);
        return y.options(c.options ?? {});
      },
      handler: async (args) => {
        if (args.format === 'html' && !c.html) throw new UsageError(`--format html is offered by the reports (table, matrix, baseline, plan, pools, fence), not by ${c.command.split(' ')[0]}`);
        if (args.format === 'junit' && !c.junit) throw new UsageError(`--format junit is offered by check --batch, validate and the reports with --fail-on, not by ${c.command.split(' ')[0]}`);
        if ((args.format === 'kubernetes' || args.format === 'openstack') && !c.scheduler) throw new UsageError(`--format ${args.format} is offered by pools (node labels, Placement traits), not by ${c.command.split(' ')[0]}`);
        if (args.format === 'sarif' && !c.sarif) throw new UsageError(`--format sarif is offered by validate, not by ${c.command.split(' ')[0]}`);
        code = await c.run(args as never, new Context(io, args as unknown as GlobalArgs));
      },
    });
  }
  try {
    await cli.parseAsync();
    return code;
  } catch (err) {
    return reportError(err, io);
  }
}
