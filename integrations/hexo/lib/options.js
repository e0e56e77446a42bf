'use strict';
/**
 * The plugin's options, read from the site's _config.yml (`zhsearch:`), checked with messages that name the
 * field, and the <script> tag of the embeddable box they describe.
 */
const path = require('node:path');

const MODES = ['inline', 'overlay'];
const ENTRIES = ['head_end', 'body_begin', 'body_end'];

class OptionError extends Error {}

/** `raw` is `hexo.config.zhsearch`; `baseDir` the site folder (relative paths are relative to it). */
function readOptions(raw, baseDir) {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new OptionError('_config.yml 中的 zhsearch 必须是一组设置（如 zhsearch: { server: … }）');
  const server = raw.server === undefined ? undefined : serverRoot(raw.server);
  const staticDir = raw.export === undefined || raw.export === false ? undefined : exportDir(raw.export === true ? 'search' : raw.export);
  // A static search alone needs no server, hence no box (the box talks to a server).
  const box = raw.box === false || (raw.box === undefined && staticDir !== undefined && server === undefined) ? false : readBox(raw.box ?? {});
  if (box && server === undefined) {
    throw new OptionError('_config.yml 缺少 zhsearch.server：搜索服务的地址，如 https://search.example.com/ 或同站反向代理的 /search/（不要搜索框时设 zhsearch.box: false）');
  }
  return {
    server,
    box,
    export: staticDir,
    reindex: raw.reindex !== false,
    index: path.resolve(baseDir, text(raw.index ?? 'zhsearch-index', 'zhsearch.index')),
    cli: raw.cli === undefined ? undefined : path.resolve(baseDir, text(raw.cli, 'zhsearch.cli')),
  };
}

function readBox(raw) {
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new OptionError('_config.yml 中的 zhsearch.box 必须是一组设置或 false');
  const mode = raw.mode ?? (raw.target ? 'inline' : 'overlay');
  if (!MODES.includes(mode)) throw new OptionError(`zhsearch.box.mode 必须是 inline（嵌在页面元素里）或 overlay（按钮或 Ctrl+K 打开的浮层），收到 "${mode}"`);
  const inject = raw.inject ?? 'body_end';
  if (!ENTRIES.includes(inject)) throw new OptionError(`zhsearch.box.inject 必须是 ${ENTRIES.join('、')} 之一，收到 "${inject}"`);
  if (raw.facets !== undefined && typeof raw.facets !== 'boolean') throw new OptionError(`zhsearch.box.facets 必须是 true 或 false，收到 "${raw.facets}"`);
  return {
    mode,
    inject,
    target: raw.target === undefined ? undefined : text(raw.target, 'zhsearch.box.target'),
    facets: raw.facets === true,
    placeholder: raw.placeholder === undefined ? undefined : text(raw.placeholder, 'zhsearch.box.placeholder'),
  };
}

/** The server's site root with a trailing slash: an http(s) URL, or a path on the blog's own site behind a proxy. */
function serverRoot(value) {
  const root = text(value, 'zhsearch.server');
  const ok = /^\/(?!\/)/.test(root) || /^https?:\/\/[^/]/i.test(root);
  if (!ok) throw new OptionError(`zhsearch.server 必须是 http(s) 地址（https://search.example.com/）或本站路径（/search/），收到 "${root}"`);
  return root.endsWith('/') ? root : `${root}/`;
}

/** The static search's folder inside public/: a relative path that stays inside it. */
function exportDir(value) {
  const dir = text(value, 'zhsearch.export').replace(/^\/+|\/+$/g, '');
  if (dir === '' || dir.split(/[\\/]/).some((part) => part === '..' || part === '.')) {
    throw new OptionError(`zhsearch.export 必须是 public/ 下的子目录（如 search），或 true（即 search），收到 ${JSON.stringify(value)}`);
  }
  return dir;
}

function text(value, field) {
  if (typeof value !== 'string' || value.trim() === '') throw new OptionError(`${field} 必须是非空字符串，收到 ${JSON.stringify(value)}`);
  return value.trim();
}

const escapeAttribute = (value) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The one tag a page needs: the box's script from the server, its options as data- attributes. */
function scriptTag(options) {
  const { box } = options;
  const attributes = [['src', `${options.server}embed.js`], ['data-mode', box.mode]];
  if (box.target) attributes.push(['data-target', box.target]);
  if (box.facets) attributes.push(['data-facets', 'true']);
  if (box.placeholder) attributes.push(['data-placeholder', box.placeholder]);
  return `<script ${attributes.map(([name, value]) => `${name}="${escapeAttribute(value)}"`).join(' ')} defer></script>`;
}

module.exports = { OptionError, readOptions, scriptTag };
