/** `main(argv)`: picks the command, parses its options, turns errors into messages and exit codes. */
import { readFileSync } from 'node:fs';
import { parseCommandArgs, type CommandSpec, type ParsedArgs } from './args.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { renderCommandHelp, renderOverview } from './help.js';
import { commandSpecs, engineSpec, exportSpec, helpSpec, reindexSpec, searchSpec, serveSpec, startSpec, statsSpec, watchSpec } from './specs.js';

type Handler = (args: ParsedArgs) => Promise<number>;

// Command modules load on demand: `search` need not load express, `stats` no segmenter.
const commands = new Map<string, { spec: CommandSpec; load: () => Promise<Handler> }>([
  ['reindex', { spec: reindexSpec, load: async () => (await import('./commands/reindex.js')).runReindex }],
  ['search', { spec: searchSpec, load: async () => (await import('./commands/search.js')).runSearch }],
  ['serve', { spec: serveSpec, load: async () => (await import('./commands/serve.js')).runServe }],
  ['stats', { spec: statsSpec, load: async () => (await import('./commands/stats.js')).runStats }],
  ['start', { spec: startSpec, load: async () => (await import('./commands/serve.js')).runStart }],
  ['watch', { spec: watchSpec, load: async () => (await import('./commands/watch.js')).runWatch }],
  ['engine', { spec: engineSpec, load: async () => (await import('./commands/engine.js')).runEngine }],
  ['export', { spec: exportSpec, load: async () => (await import('./commands/export.js')).runExport }],
  ['help', { spec: helpSpec, load: async () => runHelp }],
]);

/** Runs one command; resolves with the exit code (a running server keeps the process alive after that). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(renderOverview(commandSpecs));
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(renderOverview(commandSpecs));
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = commands.get(name);
  try {
    if (!command) throw new UsageError(`未知命令 "${name}"（可用命令：${[...commands.keys()].join('、')}）`);
    const args = parseCommandArgs(command.spec, rest);
    if (args.help) {
      process.stdout.write(renderCommandHelp(command.spec));
      return EXIT_OK;
    }
    const run = await command.load();
    return await run(args);
  } catch (error) {
    return reportError(error);
  }
}

async function runHelp(args: ParsedArgs): Promise<number> {
  const [topic] = args.positionals;
  if (topic === undefined) {
    process.stdout.write(renderOverview(commandSpecs));
    return EXIT_OK;
  }
  const command = commands.get(topic);
  if (!command) throw new UsageError(`没有命令 "${topic}"（可用命令：${[...commands.keys()].join('、')}）`);
  process.stdout.write(renderCommandHelp(command.spec));
  return EXIT_OK;
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    const hint = error.command ? `zhsearch help ${error.command}` : 'zhsearch --help';
    process.stderr.write(`zhsearch：${error.message}\n用法见 ${hint}\n`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    process.stderr.write(`zhsearch：${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`zhsearch：内部错误：${error instanceof Error ? error.stack : String(error)}\n`);
  return EXIT_FAILURE;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
