/**
 * The yaml package, loaded at its first use (a front matter or a site's _config.yml to parse): a `reindex` with
 * nothing to analyse never loads its many modules.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let loaded: Yaml | undefined;

export function yaml(): Yaml {
  try {
    return (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);
  } catch (error) {
    // Said as what it is, not as a file that cannot be parsed or a _config.yml that cannot be read.
    throw new Error(`无法加载 yaml 模块（解析 front matter 与 _config.yml 所需）：${(error as Error).message}；请重新安装依赖（npm install）`);
  }
}
