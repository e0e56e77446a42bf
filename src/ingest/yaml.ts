/**
 * The yaml package, loaded at its first use (a front matter or a site's _config.yml to parse): its ~80 modules were a
 * fifth of what a `reindex` with nothing to analyse loaded.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let loaded: Yaml | undefined;

export function yaml(): Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);
}
