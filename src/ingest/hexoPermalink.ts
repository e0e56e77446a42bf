/**
 * The path Hexo publishes a post at, computed the way Hexo 8 computes it, step by step after its own source:
 * hexo/dist/plugins/processor/post.js (slug from the file name, the post date), hexo-front-matter (YAML dates),
 * hexo/dist/plugins/processor/common.js (toDate, adjustDateForTimezone), hexo/dist/plugins/filter/post_permalink.js
 * (the placeholders), hexo/dist/models/category.js (category slugs) and hexo-util's url_for (root, encoding,
 * pretty_urls). Placeholders and slugs come from hexo-util itself. Modules are imported one by one: hexo-util's
 * index also loads highlight.js, which analysis threads do not need.
 */
import path from 'node:path';
import { createSha1Hash } from 'hexo-util/dist/hash.js';
import Permalink from 'hexo-util/dist/permalink.js';
import slugize from 'hexo-util/dist/slugize.js';
import urlFor from 'hexo-util/dist/url_for.js';
import { zoneOffsetMinutes } from './timeZone.js';
import type { HexoConfig } from './types.js';

export interface HexoPost {
  /** The file's path under `source/_posts` (or `source/_drafts`). */
  sourcePath: string;
  frontMatter: Record<string, unknown>;
  /** Category hierarchies, as Post#setCategories builds them. */
  categoryPaths: string[][];
  /** The file's birth time: Hexo's date of a post with none in its front matter or file name. */
  birthtimeMs: number;
}

/** Fields Hexo keeps from the front matter when the file name also has them (processor/post.js preservedKeys). */
const PRESERVED_KEYS = new Set(['title', 'year', 'month', 'day', 'i_month', 'i_day', 'hash']);

const filenamePermalinks = new Map<string, Permalink>();
const rulePermalinks = new Map<string, Permalink>();

/** Hexo's parseFilename: the fields of `new_post_name` (`:year-:month-:day-:title.md`) found in the file's path. */
function parseFilename(newPostName: string, sourcePath: string): Record<string, string> {
  const rule = newPostName.slice(0, newPostName.length - path.extname(newPostName).length);
  const file = sourcePath.slice(0, sourcePath.length - path.extname(sourcePath).length);
  let permalink = filenamePermalinks.get(rule);
  if (permalink === undefined) {
    permalink = new Permalink(rule, {
      segments: { year: /(\d{4})/, month: /(\d{2})/, day: /(\d{2})/, i_month: /(\d{1,2})/, i_day: /(\d{1,2})/, hash: /([0-9a-f]{12})/ },
    });
    filenamePermalinks.set(rule, permalink);
  }
  const data = permalink.parse(file) as Record<string, string> | undefined;
  if (data) return data.title !== undefined ? data : { ...data, title: slugize(file) };
  return { title: slugize(file) };
}

// js-yaml's (YAML 1.1) timestamps, which Hexo's front matter reads as dates; `yaml` (1.2) leaves them as strings.
const YAML_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YAML_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|([-+])(\d{1,2})(?::(\d{2}))?))?$/;

/** The instant js-yaml gives a YAML timestamp (a time without a zone is UTC), or null for another string. */
function yamlTimestamp(text: string): number | null {
  const day = YAML_DATE.exec(text);
  if (day) return Date.UTC(+day[1]!, +day[2]! - 1, +day[3]!);
  const m = YAML_TIMESTAMP.exec(text);
  if (!m) return null;
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  let time = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
  if (m[9]) time -= (m[9] === '-' ? -1 : 1) * (+m[10]! * 60 + +(m[11] ?? 0)) * 60_000;
  return time;
}

/**
 * Hexo's Date for a front-matter date: a YAML timestamp is shifted by the machine's offset (hexo-front-matter),
 * any other value goes through `new Date(value)` (toDate); NaN stays invalid.
 */
function frontMatterDate(raw: unknown): Date | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const timestamp = typeof raw === 'string' ? yamlTimestamp(raw.trim()) : null;
  let date: Date;
  if (timestamp !== null) {
    const parsed = new Date(timestamp);
    date = new Date(timestamp + parsed.getTimezoneOffset() * 60_000);
  } else {
    date = raw instanceof Date ? raw : new Date(raw as string | number);
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** common.js adjustDateForTimezone; moment's utcOffset counts minutes west of UTC, like getTimezoneOffset. */
function adjustDateForTimezone(date: Date, timezone: string): Date {
  const ms = date.getTime();
  const target = -zoneOffsetMinutes(timezone, ms);
  return new Date(ms - (date.getTimezoneOffset() - target) * 60_000);
}

/** The post's date as Hexo's post processor sets it. */
export function hexoPostDate(config: HexoConfig, post: HexoPost, info: Record<string, string>): Date {
  let date = frontMatterDate(post.frontMatter.date);
  const month = info.month ?? info.i_month;
  const day = info.day ?? info.i_day;
  if (date === undefined && info.year && month && day) date = new Date(+info.year, parseInt(month, 10) - 1, parseInt(day, 10));
  if (date === undefined) return new Date(post.birthtimeMs);
  return config.timezone ? adjustDateForTimezone(date, config.timezone) : date;
}

/** Category.slug: the parents' slugs, then this level's name (through category_map) slugized. */
function categorySlug(config: HexoConfig, hierarchy: string[]): string {
  return hierarchy.map((name) => slugize(config.category_map[name] || name, { transform: config.filename_case })).join('/');
}

/**
 * Post#path (post_permalink.js): the path under the site root, without a leading `/` for rule-based links.
 * `:category` is Hexo's newest category of the post: for one hierarchy its deepest level; for several (which
 * depends on the order Hexo met every post's categories) the deepest level of the longest path, the last of equals.
 */
export function hexoPostPath(config: HexoConfig, post: HexoPost): string {
  const info = parseFilename(config.new_post_name, post.sourcePath);
  const data: Record<string, unknown> = { ...post.frontMatter };
  for (const [key, value] of Object.entries(info)) if (!PRESERVED_KEYS.has(key)) data[key] = value;
  const slug = info.title!;

  const fixed = data.permalink;
  if (typeof fixed === 'string' && fixed !== '') {
    let link = fixed;
    if (config.post_asset_folder && !link.endsWith('/') && !link.endsWith('.html')) link += '/';
    return link.startsWith('/') ? link : `/${link}`;
  }

  const date = hexoPostDate(config, post, info);
  const two = (n: number): string => String(n).padStart(2, '0');
  const unix = Math.floor(date.getTime() / 1000);
  const last = post.categoryPaths.reduce<string[] | undefined>((best, p) => (best === undefined || p.length >= best.length ? p : best), undefined);
  const meta: Record<string, unknown> = {
    id: undefined,
    title: slug,
    name: path.posix.basename(slug),
    post_title: slugize(typeof data.title === 'string' ? data.title : String(data.title ?? ''), { transform: 1 }),
    year: String(date.getFullYear()),
    month: two(date.getMonth() + 1),
    day: two(date.getDate()),
    hour: two(date.getHours()),
    minute: two(date.getMinutes()),
    second: two(date.getSeconds()),
    i_month: String(date.getMonth() + 1),
    i_day: String(date.getDate()),
    timestamp: String(unix),
    hash: createSha1Hash().update(slug + String(unix)).digest('hex').slice(0, 12),
    category: last && last.length > 0 ? categorySlug(config, last) : config.default_category,
  };
  for (const [key, value] of Object.entries(data)) if (!Object.prototype.hasOwnProperty.call(meta, key)) meta[key] = value;
  for (const [key, value] of Object.entries(config.permalink_defaults)) {
    if (!Object.prototype.hasOwnProperty.call(meta, key)) meta[key] = value;
  }
  let permalink = rulePermalinks.get(config.permalink);
  if (permalink === undefined) {
    permalink = new Permalink(config.permalink, {});
    rulePermalinks.set(config.permalink, permalink);
  }
  const link = permalink.stringify(meta);
  return config.post_asset_folder && !link.endsWith('/') && !link.endsWith('.html') ? `${link}/` : link;
}

/**
 * url_for(post.path): the root (or `baseUrl` in its place) prepended, the path percent-encoded, and `index.html` /
 * `.html` dropped as `pretty_urls` says.
 */
export function hexoUrl(config: HexoConfig, postPath: string, baseUrl: string | null): string {
  const context = { config: { ...config, root: baseUrl === null ? config.root : '/', relative_link: false } };
  const url = urlFor.call(context as never, postPath);
  return baseUrl === null || /^(?:#|\/\/|https?:)/.test(url) ? url : baseUrl.replace(/\/$/, '') + url;
}
