/** The scale corpus, unpacked once into a cache folder, and deterministic fractions of any corpus. */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { corpusFilePath, listCorpusFiles } from '../ingest/index.js';

/** Written last, so a folder without it is an interrupted unpack and is redone. */
const COMPLETE_MARKER = '.unpacked-complete';

export function scaleArchivePath(repoRoot: string): string {
  return path.resolve(repoRoot, '../shared/corpus/scale/scale-corpus.tar.gz');
}

/** Unpacks the scale corpus into `<repoRoot>/.cache/scale` unless a complete unpack is already there; returns the folder. */
export function ensureScaleCorpus(repoRoot: string, log: (line: string) => void = () => {}): string {
  const archive = scaleArchivePath(repoRoot);
  const target = path.join(repoRoot, '.cache', 'scale');
  const marker = path.join(target, COMPLETE_MARKER);
  if (!fs.existsSync(archive)) {
    throw new Error(`scale corpus archive not found: ${archive} (expected ../shared/corpus/scale/ next to the repository)`);
  }
  const stamp = `${archive} ${fs.statSync(archive).size}`;
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) return target;
  log(`unpacking ${path.basename(archive)} into ${target} (once; reused by later runs)`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', archive, '-C', target], { stdio: 'inherit' });
  fs.writeFileSync(marker, stamp);
  return target;
}

/**
 * Whether a post belongs to the first `fraction` of the corpus. Decided by a hash of its path, so the 25 % subset
 * lies inside the 50 % subset and the choice does not depend on folder order.
 */
export function inFraction(relPath: string, fraction: number): boolean {
  if (fraction >= 1) return true;
  const bucket = createHash('sha1').update(relPath).digest().readUInt32BE(0) / 0x1_0000_0000;
  return bucket < fraction;
}

/** Hard link `from` at `to` (its folders made), a copy where linking fails (another file system). */
function linkOrCopy(from: string | Buffer, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/**
 * A corpus folder holding `copies` copies of every post of `root`, one sub-folder each (`copy-1/…`, `copy-2/…`: the
 * same texts under other ids, as a collection that grows), hard-linked and cached in `cacheDir`.
 */
export async function corpusCopies(root: string, copies: number, cacheDir: string): Promise<{ dir: string; files: number }> {
  const { files } = await listCorpusFiles(root);
  const key = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 8);
  const dir = path.join(cacheDir, `copies-${key}-${copies}`);
  const marker = path.join(dir, COMPLETE_MARKER);
  const expected = files.length * copies;
  if (fs.existsSync(marker) && Number(fs.readFileSync(marker, 'utf8')) === expected) return { dir, files: expected };
  fs.rmSync(dir, { recursive: true, force: true });
  for (let copy = 1; copy <= copies; copy++) {
    for (const file of files) linkOrCopy(corpusFilePath(file), path.join(dir, `copy-${copy}`, file.id));
  }
  fs.writeFileSync(marker, String(expected));
  return { dir, files: expected };
}

/**
 * A corpus folder holding `fraction` of the posts of `root` (hard links, copies where linking fails), cached next
 * to the root's own cache folder. Returns root itself for fraction ≥ 1.
 */
export async function corpusFraction(root: string, fraction: number, cacheDir: string): Promise<{ dir: string; files: number }> {
  const { files: all } = await listCorpusFiles(root);
  if (fraction >= 1) return { dir: root, files: all.length };
  const chosen = all.filter((file) => inFraction(file.id, fraction));
  const key = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 8);
  const dir = path.join(cacheDir, `fraction-${key}-${Math.round(fraction * 1000)}`);
  const marker = path.join(dir, COMPLETE_MARKER);
  if (fs.existsSync(marker) && Number(fs.readFileSync(marker, 'utf8')) === chosen.length) return { dir, files: chosen.length };
  fs.rmSync(dir, { recursive: true, force: true });
  for (const file of chosen) linkOrCopy(corpusFilePath(file), path.join(dir, file.id));
  fs.writeFileSync(marker, String(chosen.length));
  return { dir, files: chosen.length };
}
