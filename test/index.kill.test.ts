import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { analyzeArticle, IndexBuilder, openIndex, readCurrentGeneration, writeIndex } from '../src/index/index.js';
import { fixtureArticles } from './fixtures/index/articles.js';
import { dumpIndex } from './fixtures/index/dump.js';
import { stubAnalyzer } from './fixtures/index/stub-analyzer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it('a build killed with SIGKILL in the middle of writeIndex leaves the previous generation live', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-kill-'));
  try {
    const analyzer = stubAnalyzer();
    const builder = new IndexBuilder(analyzer.identity);
    for (const article of fixtureArticles) builder.add(analyzeArticle(analyzer, article));
    const previous = builder.build();
    await writeIndex(dir, previous);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/index/write-child.ts', dir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once the new generation has its first files but before its manifest and CURRENT switch.
    const partial = path.join(dir, '000002', 'body.postings');
    while (!existsSync(partial)) {
      if (child.exitCode !== null) throw new Error(`child exited early with code ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(existsSync(path.join(dir, '000002', 'manifest.json'))).toBe(false);
    expect(readCurrentGeneration(dir)).toBe('000001');
    const loaded = await openIndex(dir, { expectedAnalyzer: analyzer.identity });
    expect(dumpIndex(loaded)).toEqual(dumpIndex(previous));

    // The next build succeeds and clears the half-written generation.
    await writeIndex(dir, previous);
    expect((await fs.readdir(dir)).sort()).toEqual(['000001', '000003', 'CURRENT', 'readers']);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
