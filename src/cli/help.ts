/** Help texts rendered from the command specs, so help and parsing cannot disagree. */
import type { CommandSpec, OptionSpec } from './args.js';
import { table } from './format.js';

export function renderOverview(specs: readonly CommandSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length));
  return [
    'zhsearch —— 中文全文搜索（Hexo 文章）',
    '',
    '用法：zhsearch <命令> [选项]',
    '',
    '命令：',
    ...specs.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    '',
    '每个命令都接受 --index DIR（默认 index-data/）；reindex、start 等还接受 --corpus DIR（默认：索引建立时的文章目录，尚无索引时 corpus/）。',
    '查看某个命令的详细用法：zhsearch help <命令> 或 zhsearch <命令> --help；版本：zhsearch --version',
    '',
    '例子：',
    ...table([
      ['zhsearch reindex', '# 增量索引 corpus/'],
      ['zhsearch search 新基础设施', '# 搜索'],
      ['zhsearch serve --port 8080', '# 启动网页和 JSON API'],
    ]),
    '',
  ].join('\n');
}

export function renderCommandHelp(spec: CommandSpec): string {
  const usage = [
    'zhsearch',
    spec.name,
    ...spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)),
    ...(spec.options.length > 0 ? ['[选项]'] : []),
  ].join(' ');
  const lines = [`zhsearch ${spec.name} —— ${spec.summary}`, '', `用法：${usage}`];
  if (spec.positionals.length > 0) {
    lines.push('', '参数：');
    lines.push(...table(spec.positionals.map((p) => [p.name, p.description])));
  }
  if (spec.options.length > 0) {
    lines.push('', '选项：');
    lines.push(...table([...spec.options.map(optionRow), ['-h, --help', '显示本帮助']]));
  }
  if (spec.details.length > 0) lines.push('', ...spec.details);
  if (spec.examples.length > 0) {
    lines.push('', '例子：');
    for (const example of spec.examples) lines.push(`  # ${example.description}`, `  ${example.command}`);
  }
  lines.push('');
  return lines.join('\n');
}

function optionRow(option: OptionSpec): [string, string] {
  const flag = option.valueName ? `--${option.name} ${option.valueName}` : `--${option.name}`;
  const repeat = option.repeatable ? '（可多次指定）' : '';
  const description = option.defaultText ? `${option.description}${repeat}（默认：${option.defaultText}）` : option.description + repeat;
  return [flag, description];
}
