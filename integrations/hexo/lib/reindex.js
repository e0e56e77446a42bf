'use strict';
/**
 * Runs `zhsearch reindex` over the site's posts (source/_posts) into the configured index folder, and `zhsearch
 * export` into public/ when configured. Runs are queued, never parallel, and each reindex waits for the index
 * folder's writer lock (--wait), so a `zhsearch serve --watch` or a manual reindex of the same index is never disturbed.
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** How to start zhsearch: the configured CLI, else the zhsearch package installed for the site, else `zhsearch` on PATH. */
function zhsearchCommand(options, baseDir) {
  let cli = options.cli;
  if (cli === undefined) {
    try {
      const manifest = require.resolve('zhsearch/package.json', { paths: [baseDir] });
      const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      cli = path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin.zhsearch);
    } catch {
      return { file: 'zhsearch', args: [] };
    }
  }
  return cli.endsWith('.js') ? { file: process.execPath, args: [cli] } : { file: cli, args: [] };
}

/** Runs zhsearch with `args`; resolves with its parsed --json output, or undefined after logging why it failed. */
function runZhsearch(hexo, options, args, failure) {
  return new Promise((resolve) => {
    const command = zhsearchCommand(options, hexo.base_dir);
    execFile(command.file, [...command.args, ...args], { cwd: hexo.base_dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && error.code === 'ENOENT') {
        hexo.log.error(`zhsearch：找不到 zhsearch 命令（${command.file}）：请安装 zhsearch（npm install -g zhsearch-*.tgz），或在 _config.yml 的 zhsearch.cli 写上它的路径`);
      } else if (error) {
        hexo.log.error(`zhsearch：${failure}（退出码 ${error.code}）：${stderr.trim() || error.message}`);
      } else {
        return resolve(JSON.parse(stdout));
      }
      resolve(undefined);
    });
  });
}

/**
 * After each generation: the index brought up to date (unless `reindex: false`), then, with `export`, the static
 * search written into public/<export>/ (export's own incremental reindex then finds the index up to date).
 */
function createReindexer(hexo, options) {
  let queue = Promise.resolve();
  const postsDir = path.join(hexo.source_dir, '_posts');
  const run = async () => {
    if (options.reindex) {
      const args = ['reindex', '--corpus', postsDir, '--index', options.index, '--wait', '--json'];
      // Drafts are searchable exactly when Hexo renders them (`hexo server --draft`, render_drafts: true).
      const { args: cliArgs = {} } = hexo.env;
      if (hexo.config.render_drafts || cliArgs.draft || cliArgs.drafts) args.push('--drafts');
      const summary = await runZhsearch(hexo, options, args, '更新索引失败，原索引保持不变');
      if (!summary) return;
      hexo.log.info(`zhsearch：${describe(summary)}`);
      // Each left-out file and each warning, named: nothing is dropped without a word.
      for (const file of summary.skippedFiles) hexo.log.warn(`zhsearch：跳过 ${file.id}：${file.reason}`);
      for (const file of summary.warnedFiles) hexo.log.warn(`zhsearch：${file.id}：${file.warnings.join('；')}`);
    }
    if (options.export) {
      const out = path.join(hexo.public_dir, options.export);
      const summary = await runZhsearch(hexo, options, ['export', '--corpus', postsDir, '--index', options.index, '--out', out, '--json'], '导出静态搜索失败');
      if (summary) hexo.log.info(`zhsearch：已导出静态搜索：${summary.docs} 篇文章，${summary.files} 个文件（${(summary.bytes / 1024 / 1024).toFixed(1)} MB）：${out}`);
    }
  };
  return () => {
    queue = queue.then(run);
    return queue;
  };
}

function describe(summary) {
  const skipped = summary.skipped > 0 ? `，跳过 ${summary.skipped} 个` : '';
  if (summary.status === 'up-to-date') return `索引已是最新（${summary.files} 个文章文件${skipped}）：${summary.index}`;
  return `索引已更新：共 ${summary.articles} 篇，新增 ${summary.added}，改动 ${summary.changed}，删除 ${summary.removed}${skipped}：${summary.index}`;
}

module.exports = { createReindexer };
