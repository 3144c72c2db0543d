/**
 * `lrlab <command> --help`: a hand-written usage line and description, then every option of the
 * command from the option table (flag, placeholder, help text, default), so the help cannot drift
 * from what the command accepts.
 */
import type { CommandName, OptionName } from '../../protocol/options';
import { flagFor, optionsOf, specOf } from '../../protocol/options';
import { defaultText, helpText } from '../../protocol/optionRules';

const WIDTH = 100;
const LEFT = 26;

function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `--sweep exp|linear`, `--start-lr X`, `--three-phase`. */
function flagWithArg(name: OptionName): string {
  const spec = specOf(name);
  const arg = spec.type === 'choice' ? spec.choices.join('|') : spec.type === 'boolean' ? '' : spec.arg ?? 'X';
  return arg === '' ? flagFor(name) : `${flagFor(name)} ${arg}`;
}

/** One option's help lines for a command: flag and placeholder, help text, aliases, default. */
export function optionHelp(name: OptionName, command: CommandName): string[] {
  const spec = specOf(name);
  const alias = spec.aliases === undefined ? '' : ` Alias: ${spec.aliases.map((a) => `--${a}`).join(', ')}.`;
  const fallback = defaultText(name, command);
  // An integer's bounds, where it has both (--range-retries took 0–2 and said so only when refused).
  const r = spec.type === 'integer' ? spec.range : undefined;
  const bounds = r?.min === undefined || r.max === undefined ? '' : ` From ${r.min} to ${r.max}.`;
  const text = `${helpText(name, command)}${bounds}${alias}${fallback === null ? '' : ` Default: ${fallback}.`}`;
  return helpLines(`  ${flagWithArg(name)}`, text);
}

function helpLines(left: string, text: string): string[] {
  const body = wrap(text, LEFT + 1);
  const pad = ' '.repeat(LEFT + 1);
  if (left.length > LEFT) return [left, ...body.map((l) => `${pad}${l}`)];
  return [`${left.padEnd(LEFT)} ${body[0] ?? ''}`, ...body.slice(1).map((l) => `${pad}${l}`)];
}

export interface HelpSection {
  readonly title: string;
  readonly command: CommandName;
  /** Options not to list here (already listed in an earlier section with the same text). */
  readonly except?: readonly OptionName[];
}

/**
 * A command's help: usage, description, then its options by section. Options of the schedule
 * group are listed by `lrlab schedule --help`; other commands that take them point there.
 */
export function commandHelp(usage: string, description: string, sections: readonly HelpSection[], notes: readonly string[] = []): string {
  const lines = [usage, '', description];
  for (const section of sections) {
    const names = optionsOf(section.command).filter((n) => n !== 'json' && !(section.except ?? []).includes(n));
    // Listed by `lrlab schedule --help`, unless they mean something else here.
    // One whose default differs here is listed here (train's --lr: model.compile's LR, not --max-lr).
    const grouped = section.command === 'schedule' ? [] : names.filter((n) => specOf(n).group === 'schedule' && specOf(n).byCommand?.[section.command]?.help === undefined && defaultText(n, section.command) === defaultText(n, 'schedule'));
    lines.push('', section.title);
    for (const name of names) if (!grouped.includes(name)) lines.push(...optionHelp(name, section.command));
    if (grouped.length > 0) {
      lines.push(...helpLines(`  ${grouped.slice(0, 2).map(flagWithArg).join(', ')}, ...`, 'The schedule options of lrlab schedule (see lrlab schedule --help).'));
    }
  }
  const first = sections[0]?.command;
  if (first !== undefined && optionsOf(first).includes('json')) lines.push(...optionHelp('json', first));
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n');
}
