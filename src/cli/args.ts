/** Command-line parsing: one declarative spec per command, errors that name the option (exit code 2). */
import { UsageError } from './errors.js';

export type OptionKind =
  | { type: 'boolean' }
  | { type: 'string' }
  | { type: 'integer'; min: number; max: number }
  | { type: 'choice'; choices: readonly string[] }
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date (the search API's date bounds). */
  | { type: 'date' };

export interface OptionSpec {
  /** Long name without dashes, e.g. `index` for `--index`. */
  name: string;
  kind: OptionKind;
  /** Placeholder shown in help, e.g. `DIR`. */
  valueName?: string;
  /** Chinese description for help. */
  description: string;
  /** Default value as the user would type it (shown in help). */
  defaultText?: string;
  /** May be given several times; the values are collected in order (a string[]). */
  repeatable?: boolean;
}

export interface CommandSpec {
  name: string;
  /** One line, Chinese. */
  summary: string;
  /** Positional arguments, in order. */
  positionals: { name: string; description: string; required: boolean }[];
  options: OptionSpec[];
  /** Extra paragraphs for `help <command>`, Chinese. */
  details: string[];
  examples: { command: string; description: string }[];
}

export type OptionValue = string | number | boolean | string[];

export interface ParsedArgs {
  positionals: string[];
  /** Only the options the user gave; defaults are applied by each command. */
  options: Record<string, OptionValue>;
  help: boolean;
}


export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, OptionValue> = {};
  let help = false;
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      // `-手机` (an exclusion query) cannot be an option: only ASCII long options exist.
      if (spec.positionals.length > 0 && !/^-[A-Za-z0-9]/.test(arg)) {
        positionals.push(arg);
        continue;
      }
      const hint = spec.positionals.length > 0 ? `；以 - 开头的${spec.positionals[0]!.name}请写在 -- 之后（zhsearch ${spec.name} -- ${arg}）` : '';
      throw new UsageError(`未知选项 ${arg}：只支持长选项（如 --index）${hint}，见 zhsearch help ${spec.name}`, spec.name);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const option = spec.options.find((o) => o.name === name);
    if (!option) {
      const known = spec.options.map((o) => `--${o.name}`).join(', ');
      throw new UsageError(`未知选项 --${name}（${spec.name} 支持：${known}）`, spec.name);
    }
    if (name in options && !option.repeatable) {
      throw new UsageError(`选项 --${name} 重复出现`, spec.name);
    }
    if (option.kind.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`选项 --${name} 是开关，不接受值（收到 "${arg.slice(eq + 1)}"）`, spec.name);
      options[name] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) {
      raw = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`选项 --${name} 缺少值${option.valueName ? `（${option.valueName}）` : ''}`, spec.name);
      }
      raw = next;
      i++;
    }
    const value = parseOptionValue(option, raw, spec.name);
    options[name] = option.repeatable ? [...((options[name] as string[] | undefined) ?? []), String(value)] : value;
  }

  if (!help) {
    const required = spec.positionals.filter((p) => p.required).length;
    if (positionals.length < required) {
      throw new UsageError(`缺少参数 ${spec.positionals[positionals.length]!.name}`, spec.name);
    }
    if (positionals.length > spec.positionals.length) {
      const extra = positionals.slice(spec.positionals.length).map((p) => JSON.stringify(p)).join(' ');
      throw new UsageError(`多余的参数 ${extra}`, spec.name);
    }
  }
  return { positionals, options, help };
}

function parseOptionValue(option: OptionSpec, raw: string, command: string): OptionValue {
  const kind = option.kind;
  switch (kind.type) {
    case 'string':
      if (raw.trim() === '') throw new UsageError(`选项 --${option.name} 的值不能为空`, command);
      return raw;
    case 'integer': {
      const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(value) || value < kind.min || value > kind.max) {
        throw new UsageError(
          `选项 --${option.name} 的值必须是 ${kind.min} 到 ${kind.max} 之间的整数，收到 "${raw}"`,
          command,
        );
      }
      return value;
    }
    case 'choice':
      if (!kind.choices.includes(raw)) {
        throw new UsageError(`选项 --${option.name} 的值必须是 ${kind.choices.join(' 或 ')}，收到 "${raw}"`, command);
      }
      return raw;
    case 'date':
      if (!isDateBound(raw)) {
        throw new UsageError(`选项 --${option.name} 的值必须是日期 YYYY、YYYY-MM 或 YYYY-MM-DD，收到 "${raw}"`, command);
      }
      return raw;
    case 'boolean':
      return true;
  }
}

function isDateBound(raw: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(raw);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2] ?? 1), Number(match[3] ?? 1)];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
