'use strict';
/**
 * Runs `zhsearch reindex` over the site's posts (source/_posts) into the configured index folder. Runs are
 * queued, never parallel, and each waits for the index folder's writer lock (--wait), so a `zhsearch serve
 * --watch` or a manual reindex of the same index is never disturbed.
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

function createReindexer(hexo, options) {
  let queue = Promise.resolve();
  const postsDir = path.join(hexo.source_dir, '_posts');
  const run = () =>
    new Promise((resolve) => {
      const command = zhsearchCommand(options, hexo.base_dir);
      const args = [...command.args, 'reindex', '--corpus', postsDir, '--index', options.index, '--wait', '--json'];
      // Drafts are searchable exactly when Hexo renders them (`hexo server --draft`, render_drafts: true).
      const { args: cliArgs = {} } = hexo.env;
      if (hexo.config.render_drafts || cliArgs.draft || cliArgs.drafts) args.push('--drafts');
      execFile(command.file, args, { cwd: hexo.base_dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error && error.code === 'ENOENT') {
          hexo.log.error(`zhsearch：找不到 zhsearch 命令（${command.file}）：请安装 zhsearch（npm install -g zhsearch-*.tgz），或在 _config.yml 的 zhsearch.cli 写上它的路径`);
        } else if (error) {
          hexo.log.error(`zhsearch：更新索引失败（退出码 ${error.code}），原索引保持不变：${stderr.trim() || error.message}`);
        } else {
          hexo.log.info(`zhsearch：${describe(JSON.parse(stdout))}`);
        }
        resolve();
      });
    });
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
