/** Ids of a Hexo site's drafts (files of `source/_drafts`, indexed with --drafts) start with this. */
export const DRAFTS_PREFIX = '_drafts/';
