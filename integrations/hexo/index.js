/* global hexo */
'use strict';
/**
 * hexo-zhsearch: after `hexo generate` (and every regeneration of `hexo server`) the zhsearch index of the
 * site's posts is brought up to date (and, with `export`, a static search written into public/), and every page
 * of the theme gets the embeddable search box's <script> through Hexo's injector. Options: `zhsearch:` in the
 * site's _config.yml (see README).
 */
const { readOptions, scriptTag } = require('./lib/options');
const { createReindexer } = require('./lib/reindex');

const options = readOptions(hexo.config.zhsearch, hexo.base_dir);
if (options.box) hexo.extend.injector.register(options.box.inject, scriptTag(options));
if (options.reindex || options.export) hexo.extend.filter.register('after_generate', createReindexer(hexo, options));
