/**
 * `lrlab schedule <policy> [options] --steps N [--json]`: preview a schedule.
 * JSON is exactly `{ policy, steps: [{ step, lr, momentum }] }`.
 */
import type { SchedulePolicy, ScheduleOptions, ScheduleResult } from '../../protocol/results';
import { SCHEDULE_POLICIES } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { checkOptionsApply, isSchedulePolicy, makeSchedule, MAX_SCHEDULE_ROWS, scheduleSteps } from '../../core/schedules';
import type { CliIo } from './io';
import type { ParsedArgs } from './args';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { commandHelp } from './help';
import { sketch } from './terminal';
import { formatLr } from '../../protocol/format';

export const SCHEDULE_HELP = commandHelp(
  `Usage: lrlab schedule <${SCHEDULE_POLICIES.join('|')}> [options] [--steps N] [--json]`,
  'Preview a learning-rate / momentum schedule (PyTorch-named options).',
  [{ title: 'Options:', command: 'schedule' }],
  ['--json prints { policy, steps: [{ step, lr, momentum }] }. Past the end a finite schedule holds its last value.'],
);

/** The PyTorch-named schedule flags of a command line, as ScheduleOptions (shared with `lrlab train`). */
/** The schedule flags given; one that `policy` would ignore is refused (core/schedules.ts, POLICY_OPTIONS). */
export function scheduleOptionsFromArgs(args: ParsedArgs, policy: SchedulePolicy): ScheduleOptions {
  const options: ScheduleOptions = readOptions(args, [
    'maxLr', 'baseLr', 'minLr', 'lr', 'momentum', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor', 'anneal', 'threePhase',
    'baseMomentum', 'maxMomentum', 'stepSizeUp', 'stepSizeDown', 'gamma', 'scaleMode', 'annihilationPct', 'annihilationDiv',
  ]);
  const all = readOption(args, 'noCycleMomentum') === true ? { ...options, cycleMomentum: false } : options;
  checkOptionsApply(policy, all);
  return all;
}

export function runScheduleCommand(argv: readonly string[], io: CliIo): number {
  const args = parseFlags(argv, flagSpec('schedule'), 'schedule');
  if (booleanFlag(args, 'help') === true) {
    io.out(SCHEDULE_HELP);
    return 0;
  }
  const [policy, ...extra] = args.positionals;
  if (policy === undefined) throw new OptionError('policy', `lrlab schedule needs a policy: one of ${SCHEDULE_POLICIES.join(', ')}.`);
  if (!isSchedulePolicy(policy)) throw new OptionError('policy', `Unknown schedule policy '${policy}'; use one of ${SCHEDULE_POLICIES.join(', ')}.`);
  if (extra.length > 0) throw new OptionError('policy', `Unexpected argument '${extra[0] ?? ''}' after the policy.`);

  const options = scheduleOptionsFromArgs(args, policy);
  const schedule = makeSchedule(policy, options);
  const asked = readOption(args, 'rows');
  // A cyclic schedule repeats, with no length of its own: its --total-steps is the rows, as --steps'
  // help says ("triangular --total-steps 100" said --steps was required).
  const rows = asked ?? schedule.totalSteps ?? options.totalSteps ?? null;
  if (rows === null) {
    throw new OptionError('steps', `${flagOf('steps')} is required for ${policy}: the schedule repeats, with no length of its own.`, `Give ${flagOf('steps')} N (or ${flagOf('totalSteps')} N): the rows to print.`);
  }
  if (rows < 1 || rows > MAX_SCHEDULE_ROWS) {
    // The rows printed are --steps where given, else the schedule's --total-steps: name the one at fault.
    const which = asked === undefined ? flagOf('totalSteps') : flagOf('steps');
    throw new OptionError(asked === undefined ? 'totalSteps' : 'steps', `${which} must be between ${asked === undefined ? 2 : 1} and ${MAX_SCHEDULE_ROWS} to print, got ${rows}.`, asked === undefined ? `Give --steps N to print the first N steps of a longer schedule.` : undefined);
  }
  const result: ScheduleResult = { policy, steps: scheduleSteps(schedule, rows) };
  if (booleanFlag(args, 'json') === true) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(renderSchedule(result, schedule.totalSteps));
  return 0;
}

export function renderSchedule(result: ScheduleResult, totalSteps: number | null): string {
  const lrs = result.steps.map((s) => s.lr);
  const momenta = result.steps.map((s) => s.momentum).filter((m): m is number => m !== null);
  // A loop, not Math.min(...momenta): a spread of over about 125,000 arguments overflows the stack (Node 20;
  // fewer from deeper calls), and up to 1,000,000 rows print (150,000 failed with "Maximum call stack size exceeded").
  const lowestMomentum = momenta.reduce((a, b) => (b < a ? b : a), Number.POSITIVE_INFINITY);
  const peak = result.steps.reduce((best, s) => (s.lr > best.lr ? s : best), result.steps[0]!);
  const first = result.steps[0]!;
  const last = result.steps[result.steps.length - 1]!;
  const lines = [
    `${result.policy}: ${result.steps.length} steps${totalSteps === null ? '' : ` of ${totalSteps}`}`,
    `LR  start ${formatLr(first.lr)}  peak ${formatLr(peak.lr)} at step ${peak.step}  end ${formatLr(last.lr)}`,
    sketch(lrs),
  ];
  if (momenta.length > 0) {
    lines.push(`momentum  start ${first.momentum?.toFixed(3) ?? '—'}  min ${lowestMomentum.toFixed(3)}  end ${last.momentum?.toFixed(3) ?? '—'}`);
    lines.push(sketch(momenta, { height: 5, format: (v) => v.toFixed(3) }));
  } else {
    lines.push('momentum  not driven by this schedule');
  }
  return lines.join('\n');
}
