/**
 * `npm run bench:switch`: a generation switch under load on the scale corpus (src/bench/switchLoad.ts), one row per
 * labelled run in the "reliability" section of bench/RESULTS.md. Rows of other labels are kept, so code before
 * and after a change can be measured on the same machine: `--cli <old checkout>/dist/cli/main.js --label before`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineLine, writeResultsSection } from './resultsFile.js';
import { ensureScaleCorpus } from './scaleCorpus.js';
import { measureSwitchUnderLoad, type SwitchLoadResult } from './switchLoad.js';
import { markdownTable } from './table.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const ROWS_MARK = /<!-- reliability-rows: (.*) -->/;

interface Row extends SwitchLoadResult {
  label: string;
  machine: string;
  connections: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cli: { type: 'string', default: path.join(repoRoot, 'dist/cli/main.js') },
      corpus: { type: 'string' },
      index: { type: 'string', default: path.join(repoRoot, '.cache/switch-index') },
      connections: { type: 'string', default: '50' },
      'max-seconds': { type: 'string', default: '300' },
      label: { type: 'string', default: 'this checkout' },
      out: { type: 'string', default: path.join(repoRoot, 'bench/RESULTS.md') },
      'no-write': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
    },
  });
  const corpusDir = values.corpus ?? ensureScaleCorpus(repoRoot, log);
  if (!fs.existsSync(path.join(values.index, 'CURRENT'))) {
    log(`building the index of ${corpusDir} in ${values.index} (once)`);
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [values.cli, 'reindex', '--corpus', corpusDir, '--index', values.index], { stdio: 'inherit' });
  }
  const connections = Number(values.connections);
  const maxSeconds = Number(values['max-seconds']);
  const result = await measureSwitchUnderLoad({
    cliPath: values.cli,
    corpusDir,
    indexDir: values.index,
    connections,
    maxSeconds,
    reindexAfterSeconds: 5,
    newArticles: 6,
    idleReindexFirst: true,
    watch: values.watch,
    log,
  });
  const row: Row = { label: values.label, machine: machineLine(), connections, ...result };
  const out = values['no-write'] ? null : values.out;
  const previous = out && fs.existsSync(out) ? (ROWS_MARK.exec(fs.readFileSync(out, 'utf8'))?.[1] ?? '[]') : '[]';
  const rows = [...(JSON.parse(previous) as Row[]).filter((r) => r.label !== row.label), row];
  const body = renderSection(rows);
  process.stdout.write(`${body}\n`);
  if (out) {
    writeResultsSection(out, 'reliability', body);
    log(`written to ${out}`);
  }
}

function renderSection(rows: Row[]): string {
  const seconds = (s: number | null) => (s === null ? 'never during the load' : s);
  return [
    '## Reliability: a generation switch under load (`npm run bench:switch`)',
    '',
    'An index (the scale corpus by default; the row says when another) served by `zhsearch serve` (a child process)',
    'under autocannon on 127.0.0.1 (`/api/search`, 12',
    'real queries in turn, 10 s request timeout); 5 s into the load an incremental `zhsearch reindex` adds 6 articles;',
    'the load goes on until 3 s after the switch. Before the load, the same reindex (6 other new articles) with the',
    'server idle: "reindex idle" (rows without it predate that measurement).',
    'Switch delay: from the reindex\'s exit to the server\'s "switched" log line. Around the switch: requests answered',
    'from the reindex\'s exit to 2 s after the switch. During the reindex: requests answered from its start to its',
    'exit; failed during it: requests timed out or failed from its start to 10 s after its exit.',
    'Rows marked `serve --watch`: the server rebuilds the index itself when the new articles appear; the reindex runs',
    'from writing them to its "索引已更新" line.',
    'Each row is one run; the machine is shared, so figures move.',
    '',
    markdownTable(
      [
        'code',
        'load',
        'requests',
        'failed',
        'reindex idle (s)',
        'reindex under load (s)',
        'switch delay (s)',
        'slowest around switch (ms)',
        'p99 during reindex (ms)',
        'slowest during reindex (ms)',
        'failed during reindex',
        'p99 (ms)',
      ],
      rows.map((r) => [
        r.label,
        `${r.connections} conn. × ${Math.round(r.loadSeconds)} s`,
        r.requests,
        r.failed,
        r.idleReindexSeconds,
        r.reindexSeconds,
        seconds(r.switchDelaySeconds),
        r.slowestAroundSwitchMs,
        r.p99DuringReindexMs,
        r.slowestDuringReindexMs,
        r.failedDuringReindex,
        r.p99Ms,
      ]),
    ),
    '',
    ...rows.map((r) => `- ${r.label}: ${r.machine}`),
    `<!-- reliability-rows: ${JSON.stringify(rows)} -->`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:switch failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
