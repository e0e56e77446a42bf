/**
 * `npm run bench:stages`: where an indexing worker's CPU goes, stage by stage, on a share of the scale corpus (issue
 * 16's ratios): reading the files, ingest (parseArticle: decoding, front matter, Markdown, HTML → text, fields),
 * analysis (analyzeArticle), packing (PackedTerms.pack: the fields as the worker sends them, terms numbered by the
 * thread; part of the worker's analysis, so the analysis ratio is also given with it) and, as the yardstick, jieba's
 * own `cut` (precise mode, HMM, its default dictionary) of the same field values. CPU time of the process (one
 * JavaScript thread; the garbage collector's helpers count too), each stage over all the texts, `--rounds` times (the
 * first round pays the warm-up: compilation, caches). Prints a table; writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { createAnalyzer } from '../analysis/index.js';
import { analyzeArticle, PackedTerms } from '../index/index.js';
import { CATEGORY_SEPARATOR, corpusFilePath, listCorpusFiles, parseArticle, type Article } from '../ingest/index.js';
import { ensureScaleCorpus, inFraction } from './scaleCorpus.js';
import { cpuMsSince } from './stats.js';
import { markdownTable } from './table.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The texts analyzeArticle analyses, one value at a time. */
function fieldValues(article: Article): string[] {
  const tags = [...article.categories.flatMap((category) => category.split(CATEGORY_SEPARATOR)), ...article.tags];
  return [article.title, ...article.headings, article.description, ...tags, article.text];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      fraction: { type: 'string', default: '0.1' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const fraction = Number(values.fraction);
  const rounds = Number(values.rounds);
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`--fraction must be a number in (0, 1], got ${values.fraction}`);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
  const corpus = values.corpus ?? ensureScaleCorpus(repoRoot, (line) => process.stderr.write(`${line}\n`));
  const files = (await listCorpusFiles(corpus)).files.filter((file) => inFraction(file.id, fraction));
  const analyzer = createAnalyzer({ segmenter: 'node-rs' });
  const jieba = Jieba.withDict(dict);

  const stages = ['read', 'ingest (parseArticle)', 'analysis (analyzeArticle)', 'pack (PackedTerms.pack)', 'raw jieba cut'] as const;
  const times = new Map<string, number[]>(stages.map((stage) => [stage, []]));
  const timed = <T>(stage: (typeof stages)[number], run: () => T): T => {
    const start = process.cpuUsage();
    const result = run();
    times.get(stage)!.push(cpuMsSince(start));
    return result;
  };
  let bytes = 0;
  for (let round = 0; round < rounds; round++) {
    const contents = timed('read', () => files.map((file) => fs.readFileSync(corpusFilePath(file))));
    bytes = contents.reduce((sum, content) => sum + content.length, 0);
    const articles = timed('ingest (parseArticle)', () =>
      contents.flatMap((content, i) => {
        const result = parseArticle(files[i]!.id, content);
        return result.ok ? [result.article] : [];
      }),
    );
    const analyzed = timed('analysis (analyzeArticle)', () => articles.map((article) => analyzeArticle(analyzer, article)));
    // A new numbering each round, as a worker starts with none.
    const terms = new PackedTerms();
    timed('pack (PackedTerms.pack)', () => analyzed.forEach((article) => terms.pack(article)));
    const texts = articles.flatMap(fieldValues);
    timed('raw jieba cut', () => texts.forEach((text) => jieba.cut(text, true)));
  }

  const best = (stage: string): number => Math.min(...times.get(stage)!);
  const cut = best('raw jieba cut');
  console.log(`${files.length} files (${(bytes / 1e6).toFixed(1)} MB), ${rounds} rounds, CPU ms; ratio: best round ÷ best raw cut`);
  console.log(
    markdownTable(
      ['stage', ...Array.from({ length: rounds }, (_, r) => `round ${r + 1}`), 'ratio to cut'],
      stages.map((stage) => [stage, ...times.get(stage)!.map((ms) => Math.round(ms)), Number((best(stage) / cut).toFixed(2))]),
    ),
  );
  const workerAnalysis = (best('analysis (analyzeArticle)') + best('pack (PackedTerms.pack)')) / cut;
  console.log(`analysis with packing (the worker's whole analysis) ÷ cut: ${workerAnalysis.toFixed(2)}`);
}

await main();
