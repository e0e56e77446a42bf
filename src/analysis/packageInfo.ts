import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Where zhsearch itself is installed (two levels above dist/analysis). */
const ZHSEARCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Optional dependencies: zhsearch installs and runs without them (nodejieba needs a C++ compiler to install),
 * and asking for one that is missing says how to get it.
 */
const OPTIONAL_PACKAGES: Record<string, string> = {
  nodejieba:
    `分词器 nodejieba 没有安装：它是可选依赖，安装时需要 C++ 编译器（g++、make、python3）。` +
    `请在 zhsearch 的安装目录 ${ZHSEARCH_DIR} 运行 "npm install nodejieba"（或安装 zhsearch 时不加 --omit=optional），` +
    `或者使用默认的分词器 node-rs（--segmenter node-rs）`,
};

/** Directory and version of an installed package. */
export function packageInfo(name: string): { dir: string; version: string } {
  const manifestPath = resolveOrExplain(`${name}/package.json`, name);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${manifestPath}: no "version" field`);
  return { dir: path.dirname(manifestPath), version: manifest.version };
}

/** Loads an optional package when it is first needed (a static import would make every command require it). */
export function requireOptional<T>(name: string): T {
  return require(resolveOrExplain(name, name)) as T;
}

function resolveOrExplain(request: string, name: string): string {
  try {
    return require.resolve(request);
  } catch (error) {
    const hint = OPTIONAL_PACKAGES[name];
    if (hint !== undefined && (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new Error(hint);
    throw error;
  }
}
