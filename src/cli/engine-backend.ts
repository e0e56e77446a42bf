/** The `--engine` option (or ZHSEARCH_ENGINE) and opening the engine backend with messages that say what to do. */
import { describeAnalyzer } from '../analysis/index.js';
import { ENGINE_URL_ENV, EngineError, EngineUrlError, parseEngineUrl, type EngineUrl } from '../index/index.js';
import type { SearchBackend } from '../search/types.js';
import type { ParsedArgs } from './args.js';
import { userDictionaryFor } from './analyzer-choice.js';
import { CliError, UsageError } from './errors.js';

/** The engine to use: `--engine URL`, else the environment variable, else none (the embedded index). */
export function engineOf(args: ParsedArgs, command: string, env: NodeJS.ProcessEnv = process.env): EngineUrl | undefined {
  const option = args.options.engine as string | undefined;
  const text = option ?? (env[ENGINE_URL_ENV] || undefined);
  if (text === undefined) return undefined;
  try {
    return parseEngineUrl(text);
  } catch (error) {
    if (error instanceof EngineUrlError) throw new UsageError(`${option === undefined ? `环境变量 ${ENGINE_URL_ENV}` : '--engine'}：${error.message}`, command);
    throw error;
  }
}

export async function openEngineBackend(engine: EngineUrl, corpusDir: string): Promise<SearchBackend> {
  // Loaded here, not with engineOf: `reindex` asks for the option on every run and needs the search stage only with it.
  const { AnalyzerMismatchError, engineBackend, EngineUnavailableError } = await import('../search/index.js');
  try {
    return await engineBackend({ engine, userDictPath: userDictionaryFor(corpusDir) });
  } catch (error) {
    if (error instanceof AnalyzerMismatchError) {
      throw new CliError(
        `引擎中的文章由另一个分析器写入（${describeAnalyzer(error.built)}，现在是 ${describeAnalyzer(error.current)}）：` +
          `请用相同的 --corpus 运行 zhsearch reindex --engine 重新写入`,
      );
    }
    if (error instanceof EngineUnavailableError || error instanceof EngineError) throw new CliError(error.message);
    throw error;
  }
}
