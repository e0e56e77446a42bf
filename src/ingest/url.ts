import { hexoPostPath, hexoUrl } from './hexoPermalink.js';
import { DRAFTS_PREFIX } from './drafts.js';
import type { SiteSettings } from './types.js';

/** The server route that shows an article: `/articles/` + each id segment percent-encoded. */
export function articleUrl(id: string): string {
  return '/articles/' + id.split('/').map(encodeURIComponent).join('/');
}

/** What a link may be: http(s), or a path on the site (not `//host`, which leaves it). */
const SAFE_URL = /^(?:https?:\/\/[^/\s]|\/(?![/\\]))/i;

export interface UrlFacts {
  id: string;
  frontMatter: Record<string, unknown>;
  categoryPaths: string[][];
  birthtimeMs: number;
}

/**
 * Where readers open an article: in a Hexo site the page Hexo publishes it at; otherwise a front-matter
 * `permalink`/`url` that is http(s) or a site path (a relative one only with --base-url), else `/articles/<id>`;
 * with --base-url every site path is under it. Any other link (`javascript:`, `//host`) is dropped with a warning.
 */
export function publicUrl(facts: UrlFacts, site: SiteSettings, warnings: string[]): string {
  const { id, frontMatter } = facts;
  const underBase = (sitePath: string): string => (site.baseUrl === null ? sitePath : site.baseUrl + sitePath.replace(/^\//, ''));
  const fallback = underBase(articleUrl(id));
  let url: string;
  if (site.hexo !== null) {
    const sourcePath = id.startsWith(DRAFTS_PREFIX) ? id.slice(DRAFTS_PREFIX.length) : id;
    const postPath = hexoPostPath(site.hexo, { ...facts, sourcePath });
    url = hexoUrl(site.hexo, postPath, site.baseUrl);
  } else {
    const given = [frontMatter.permalink, frontMatter.url].find((v): v is string => typeof v === 'string' && v.trim() !== '')?.trim();
    if (given === undefined) return fallback;
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(given)) url = given;
    else if (given.startsWith('/')) url = underBase(given);
    else if (site.baseUrl !== null) url = site.baseUrl + given;
    else return fallback; // a path relative to a site zhsearch does not know
  }
  if (SAFE_URL.test(url)) return url;
  warnings.push(`url：链接 ${JSON.stringify(url.slice(0, 100))} 既不是 http(s) 也不是站内路径，已忽略`);
  return fallback;
}
