import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { CorpusFile, IngestError, NotPublished } from './types.js';

/** Article files by extension. */
const ARTICLE_FILE = /\.(?:md|markdown|html)$/i;

/** Whether a file name is an article file (by extension), e.g. for watching a corpus. */
export function isArticleFile(name: string): boolean {
  return ARTICLE_FILE.test(name);
}

/** Which names the walk treats as not published (Hexo's isHiddenFile in plugins/processor/common.js). */
export interface ListingRules {
  /** A Hexo site: names starting with `_` are not published either (Hexo's partials and drafts). */
  hexo?: boolean;
  /** List hidden files and folders as articles all the same (`--include-hidden`). */
  includeHidden?: boolean;
  /** Prefix of every id (`_drafts/` for a Hexo site's drafts). */
  idPrefix?: string;
}

/** Whether a file or folder name is hidden: `.name`, and in a Hexo site also `_name` (Hexo never publishes them). */
function isHidden(name: string, rules: ListingRules): boolean {
  return !rules.includeHidden && (name.startsWith('.') || (rules.hexo === true && name.startsWith('_')));
}

/** Reason given for a hidden file or folder in the summary. */
export function hiddenReason(rules: ListingRules): string {
  return rules.hexo ? '名称以 _ 或 . 开头（Hexo 不发布；--include-hidden 可索引）' : '名称以 . 开头，是隐藏文件（--include-hidden 可索引）';
}

/** Orders ids by UTF-16 code units, the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every article file below `root`, recursively, sorted by id. Other files (dict.txt, images, MANIFEST.tsv)
 * are skipped silently; hidden article files and hidden folders other than tooling (`.git`, `node_modules`) are
 * listed as not published. A symbolic link is followed only when it stays inside the root; a broken link,
 * a link out of the root, a link loop or an unreadable folder becomes an IngestError.
 * Throws when `root` itself is not a readable folder.
 *
 * The walk uses synchronous fs calls: listing 27,855 files costs 0.25 s of CPU that way against 1.1 s
 * with one promise per stat. The function stays async so that a future walk can change that freely.
 */
export async function listCorpusFiles(
  root: string,
  rules: ListingRules = {},
): Promise<{ files: CorpusFile[]; errors: IngestError[]; notPublished: NotPublished[] }> {
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
  const notPublished: NotPublished[] = [];
  const hidden = (id: string, folder: boolean): void => {
    notPublished.push({ id: folder ? id + '/' : id, reason: hiddenReason(rules) });
  };

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
      if (entry.name === 'node_modules') continue;
      if (isHidden(entry.name, rules)) {
        // Tooling folders (.git, .obsidian) are no posts: only hidden article files and `_` folders are reported.
        if (entry.isDirectory() ? !entry.name.startsWith('.') : ARTICLE_FILE.test(entry.name)) hidden(id, entry.isDirectory());
      } else if (entry.isSymbolicLink()) {
        followLink(fullPath, id);
      } else if (entry.isDirectory()) {
        walk(fullPath, id + '/');
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

  walk(rootDir, rules.idPrefix ?? '');
  files.sort((a, b) => compareIds(a.id, b.id));
  errors.sort((a, b) => compareIds(a.id, b.id));
  notPublished.sort((a, b) => compareIds(a.id, b.id));
  return { files, errors, notPublished };
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative));
}
