/** `zhsearch engine init`: searchd configuration for N shards and a distributed table, and how to run them. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_ENGINE_TABLE, ENGINE_URL_ENV, engineConfigPaths, engineDirectories, engineFiles, engineUrlOf, type EngineLayout } from '../../index/index.js';
import type { ParsedArgs } from '../args.js';
import { CliError, EXIT_OK, errorMessage, UsageError } from '../errors.js';
import { DEFAULT_ENGINE_PORT } from '../specs.js';

export async function runEngine(args: ParsedArgs): Promise<number> {
  const [action] = args.positionals;
  if (action !== 'init') throw new UsageError(`未知的 engine 动作 "${action}"（可用：init）`, 'engine');
  const o = args.options;
  if (o.dir === undefined) throw new UsageError('engine init 需要 --dir DIR（配置文件、数据和日志的目录）', 'engine');
  const layout: EngineLayout = {
    dir: path.resolve(o.dir as string),
    shards: (o.shards as number | undefined) ?? 2,
    port: (o.port as number | undefined) ?? DEFAULT_ENGINE_PORT,
    table: DEFAULT_ENGINE_TABLE,
    host: '127.0.0.1',
  };
  if (layout.port + 2 * layout.shards > 65535) throw new UsageError(`端口 ${layout.port} 加上 ${2 * layout.shards} 个分片端口超出 65535`, 'engine');
  try {
    for (const dir of engineDirectories(layout)) await mkdir(dir, { recursive: true });
    for (const file of engineFiles(layout)) await writeFile(path.join(layout.dir, file.name), file.content);
  } catch (error) {
    throw new CliError(`无法写入引擎配置目录 ${layout.dir}：${errorMessage(error)}`);
  }
  process.stdout.write(renderInstructions(layout));
  return EXIT_OK;
}

function renderInstructions(layout: EngineLayout): string {
  const configs = engineConfigPaths(layout);
  const url = engineUrlOf(layout);
  return [
    `已在 ${layout.dir} 写入 ${layout.shards} 个分片和 1 个分布式表的 searchd 配置（分片 i 的 SphinxQL 端口为 ${layout.port}+i，分布式表为 ${layout.port}）。`,
    '',
    '启动（先分片，后分布式表）：',
    ...configs.map((config) => `  searchd --config ${config}`),
    '',
    '停止：',
    ...[...configs].reverse().map((config) => `  searchd --config ${config} --stopwait`),
    '',
    `引擎地址：${url}`,
    `  zhsearch reindex --engine ${url} --corpus DIR`,
    `  zhsearch search 查询 --engine ${url}`,
    `  zhsearch serve --engine ${url}`,
    `或设置环境变量 ${ENGINE_URL_ENV}=${url}`,
    '',
  ].join('\n');
}
