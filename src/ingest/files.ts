import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { CorpusFile, IngestError } from './types.js';

/** Article files by extension. Names that look hidden (`.md`, ` .md`) are articles too. */
const ARTICLE_FILE = /\.(?:md|markdown|html)$/i;

/** Whether a file name is an article file (by extension), e.g. for watching a corpus. */
export function isArticleFile(name: string): boolean {
  return ARTICLE_FILE.test(name);
}

/**
 * Folders that hold tooling, not posts (`.git`, `.obsidian`, `node_modules`); Hexo skips them as well.
 * Only folders: a FILE named `.md` is a post.
 */
function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** Orders ids by UTF-16 code units, the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every article file below `root`, recursively, sorted by id. Other files (dict.txt, images, MANIFEST.tsv)
 * are skipped silently. A symbolic link is followed only when it stays inside the root; a broken link,
 * a link out of the root, a link loop or an unreadable folder becomes an IngestError.
 * Throws when `root` itself is not a readable folder.
 *
 * The walk uses synchronous fs calls: listing 27,855 files costs 0.25 s of CPU that way against 1.1 s
 * with one promise per stat. The function stays async so that a future walk can change that freely.
 */
export async function listCorpusFiles(root: string): Promise<{ files: CorpusFile[]; errors: IngestError[] }> {
  const rootDir = path.resolve(root);
  let rootReal: string;
  try {
    rootReal = realpathSync(rootDir);
  } catch (error) {
    throw new Error(`corpus folder ${root} cannot be opened: ${(error as Error).message}`);
  }
  if (!statSync(rootReal).isDirectory()) throw new Error(`corpus folder ${root} is not a folder`);

  const files: CorpusFile[] = [];
  const errors: IngestError[] = [];

  const walk = (dir: string, idPrefix: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      errors.push({ id: idPrefix.slice(0, -1) || '.', reason: `cannot read folder: ${(error as Error).message}` });
      return;
    }
    for (const entry of entries) {
      const fullPath = path.join(dir, entry.name);
      // NFC so that ids match across file systems that store names decomposed (macOS HFS+).
      const id = (idPrefix + entry.name).normalize('NFC');
      if (entry.isSymbolicLink()) {
        followLink(fullPath, id);
      } else if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) walk(fullPath, id + '/');
      } else if (entry.isFile() && ARTICLE_FILE.test(entry.name)) {
        addFile(fullPath, id);
      }
    }
  };

  const addFile = (fullPath: string, id: string): void => {
    try {
      files.push({ id, path: fullPath, bytes: statSync(fullPath).size });
    } catch (error) {
      errors.push({ id, reason: `cannot read file: ${(error as Error).message}` });
    }
  };

  const followLink = (linkPath: string, id: string): void => {
    let target = '?';
    let targetReal: string;
    try {
      target = readlinkSync(linkPath);
      targetReal = realpathSync(linkPath);
    } catch {
      errors.push({ id, reason: `broken symbolic link to ${target}` });
      return;
    }
    if (!isInside(rootReal, targetReal)) {
      errors.push({ id, reason: `symbolic link to ${target} leads outside the corpus folder; not followed` });
      return;
    }
    const targetStat = statSync(targetReal);
    if (targetStat.isDirectory()) {
      if (isInside(targetReal, realpathSync(path.dirname(linkPath)))) {
        errors.push({ id, reason: `symbolic link to ${target} points to a folder that contains it (a loop); not followed` });
      } else {
        walk(linkPath, id + '/');
      }
    } else if (targetStat.isFile() && ARTICLE_FILE.test(path.basename(linkPath))) {
      files.push({ id, path: linkPath, bytes: targetStat.size });
    }
  };

  walk(rootDir, '');
  files.sort((a, b) => compareIds(a.id, b.id));
  errors.sort((a, b) => compareIds(a.id, b.id));
  return { files, errors };
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative));
}
