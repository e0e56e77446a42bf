import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Directory and version of an installed package. */
export function packageInfo(name: string): { dir: string; version: string } {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${manifestPath}: no "version" field`);
  return { dir: path.dirname(manifestPath), version: manifest.version };
}
