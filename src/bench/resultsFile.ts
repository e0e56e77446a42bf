/** bench/RESULTS.md: one section per script (eval, bench), each replaced whole by its script's latest run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ResultsSection = 'eval' | 'bench' | 'http' | 'growth' | 'reliability' | 'engine' | 'static' | 'static-scale';

const HEADER = `# zhsearch benchmark and evaluation results

Written by \`npm run eval\` and \`npm run bench\` (src/bench/). Each section holds its script's latest run;
every figure in a table comes from one run on one machine, zhsearch beside its peers.
`;

/** Cores, memory, Node version and date, for the head of a section. */
export function machineLine(now = new Date()): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `Machine: ${cpus.length} cores (${model}), ${memGiB} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}. Date: ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
}

/** Replaces (or appends) the section between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, section: ResultsSection, body: string): string {
  const start = `<!-- ${section}:start -->`;
  const end = `<!-- ${section}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + block + document.slice(to + end.length);
  const base = document.trim() ? document.trimEnd() : HEADER.trimEnd();
  return `${base}\n\n${block}\n`;
}

/** Prints a section on stdout and, unless `out` is null (--no-write), replaces it in the results file. */
export function publishResults(out: string | null, section: ResultsSection, body: string, log: (line: string) => void): void {
  process.stdout.write(`${body}\n`);
  if (out) {
    writeResultsSection(out, section, body);
    log(`written to ${out}`);
  }
}

export function writeResultsSection(file: string, section: ResultsSection, body: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, replaceSection(current, section, body));
}
