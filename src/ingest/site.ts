/**
 * Site awareness: whether a corpus is a Hexo site's `source/_posts`, the settings of its `_config.yml` that decide
 * where and when posts are published (with Hexo's defaults and normalisation from hexo/dist/hexo/default_config.js
 * and load_config.js), and the listing of its posts and drafts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { yaml } from './yaml.js';
import { DRAFTS_PREFIX } from './drafts.js';
import { compareIds, listCorpusFiles } from './files.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from './timeZone.js';
import type { CorpusFile, HexoConfig, IngestError, NotPublished, SiteSettings } from './types.js';

/** A site's `_config.yml` that cannot be used; the message names the file and the setting. */
export class SiteConfigError extends Error {}

export interface SiteChoice {
  /** `--site DIR`: the Hexo site folder. */
  siteDir?: string;
  baseUrl?: string | null;
  drafts?: boolean;
  includeHidden?: boolean;
}

/**
 * The site a corpus folder belongs to: `--site DIR`, else the Hexo site whose `source/_posts` the corpus is
 * (`_config.yml` two levels up); null for a plain folder.
 */
export function findHexoSite(corpusDir: string, siteDir?: string): string | null {
  if (siteDir !== undefined) {
    const dir = path.resolve(siteDir);
    if (!existsSync(path.join(dir, '_config.yml'))) throw new SiteConfigError(`--site ${siteDir}：该目录中没有 Hexo 的 _config.yml`);
    return dir;
  }
  const corpus = path.resolve(corpusDir);
  const site = path.dirname(path.dirname(corpus));
  return path.basename(corpus) === '_posts' && existsSync(path.join(site, '_config.yml')) ? site : null;
}

/** The posts folder of a Hexo site (`source/_posts`, or under its `source_dir`). */
export function sitePostsDir(siteDir: string): string {
  return path.join(siteDir, sourceDirOf(siteDir), '_posts');
}

/** Settings for a corpus: its Hexo site's (when it has one) with the command line's choices. */
export function siteSettings(corpusDir: string, choice: SiteChoice = {}): SiteSettings {
  const siteDir = findHexoSite(corpusDir, choice.siteDir);
  const hexo = siteDir === null ? null : readHexoConfig(siteDir);
  return {
    hexo,
    timeZone: hexo?.timezone || DEFAULT_TIME_ZONE,
    baseUrl: choice.baseUrl ? checkBaseUrl(choice.baseUrl) : null,
    drafts: choice.drafts ?? false,
    includeHidden: choice.includeHidden ?? false,
  };
}

/** `--base-url`: an absolute http(s) URL or a site-relative path; always ends with `/`. */
export function checkBaseUrl(raw: string): string {
  const value = raw.trim();
  const absolute = /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/i.test(value);
  if (!absolute && !/^\/[^?#\s]*$/.test(value)) {
    throw new SiteConfigError(`--base-url ${raw}：应为 http(s) 地址（https://blog.example.com/）或以 / 开头的路径`);
  }
  return value.endsWith('/') ? value : value + '/';
}

function readYaml(siteDir: string): Record<string, unknown> {
  const file = path.join(siteDir, '_config.yml');
  let data: unknown;
  try {
    data = yaml().parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SiteConfigError(`${file} 无法读取：${(error as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new SiteConfigError(`${file}：应为 "键: 值" 形式的设置`);
  return data as Record<string, unknown>;
}

function sourceDirOf(siteDir: string): string {
  const value = readYaml(siteDir).source_dir;
  return typeof value === 'string' && value.trim() ? value.trim() : 'source';
}

/** The publication settings of a site's `_config.yml`, Hexo's defaults filled in and its normalisation applied. */
export function readHexoConfig(siteDir: string): HexoConfig {
  const dir = path.resolve(siteDir);
  const data = readYaml(dir);
  const file = path.join(dir, '_config.yml');
  const bad = (key: string, why: string): SiteConfigError => new SiteConfigError(`${file} 的 ${key}：${why}`);
  const text = (key: string, fallback: string): string => {
    const value = data[key];
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string' && typeof value !== 'number') throw bad(key, `应为文字，实际是 ${JSON.stringify(value)}`);
    return String(value);
  };
  const map = (key: string): Record<string, string> => {
    const value = data[key];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw bad(key, '应为 "键: 值" 的映射');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  };

  const url = text('url', 'http://example.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(url)) throw bad('url', `应为 http(s) 地址，实际是 ${url}`);
  // Without a root Hexo takes the path of `url`.
  const root = text('root', new URL(url).pathname).replace(/\/*$/, '/');
  if (!root.startsWith('/')) throw bad('root', `应以 / 开头，实际是 ${root}`);
  const permalink = text('permalink', ':year/:month/:day/:title/');
  if (/:id\b/.test(permalink)) throw bad('permalink', ':id 是 Hexo 数据库的内部编号，zhsearch 无法得知；请换用 :title、:abbrlink 等');
  const pretty = map('pretty_urls');
  const timezone = text('timezone', '');
  if (timezone && !isTimeZone(timezone)) throw bad('timezone', `未知的时区 ${timezone}（应为 Asia/Shanghai 这样的 IANA 名称）`);
  const filenameCase = Number(text('filename_case', '0'));
  if (filenameCase !== 0 && filenameCase !== 1 && filenameCase !== 2) throw bad('filename_case', `应为 0、1 或 2，实际是 ${filenameCase}`);
  return {
    dir,
    url,
    root,
    permalink,
    permalink_defaults: map('permalink_defaults'),
    pretty_urls: { trailing_index: pretty.trailing_index !== 'false', trailing_html: pretty.trailing_html !== 'false' },
    timezone,
    new_post_name: text('new_post_name', ':title.md'),
    filename_case: filenameCase,
    default_category: text('default_category', 'uncategorized'),
    category_map: map('category_map'),
    post_asset_folder: data.post_asset_folder === true,
  };
}

/**
 * The article files of a corpus as its site publishes them: hidden files and folders (and, in a Hexo site, the
 * drafts unless `drafts`) are listed as not published; with `drafts` the site's drafts are articles with ids under
 * DRAFTS_PREFIX.
 */
export async function listSiteFiles(
  corpusDir: string,
  site: SiteSettings,
): Promise<{ files: CorpusFile[]; errors: IngestError[]; notPublished: NotPublished[] }> {
  const rules = { hexo: site.hexo !== null, includeHidden: site.includeHidden };
  const posts = await listCorpusFiles(corpusDir, rules);
  const draftsDir = site.hexo === null ? null : path.join(path.dirname(sitePostsDir(site.hexo.dir)), '_drafts');
  if (draftsDir === null || !existsSync(draftsDir)) return posts;
  const drafts = await listCorpusFiles(draftsDir, { ...rules, idPrefix: DRAFTS_PREFIX });
  const notPublished = [...posts.notPublished, ...drafts.notPublished];
  if (site.drafts) {
    posts.files.push(...drafts.files);
  } else {
    notPublished.push(...drafts.files.map((file) => ({ id: file.id, reason: '草稿（source/_drafts；--drafts 可索引）' })));
  }
  const byId = (a: { id: string }, b: { id: string }): number => compareIds(a.id, b.id);
  return { files: posts.files.sort(byId), errors: [...posts.errors, ...drafts.errors].sort(byId), notPublished: notPublished.sort(byId) };
}
