/**
 * `lrlab schedule <policy> [options] --steps N [--json]`: preview a schedule.
 * JSON is exactly `{ policy, steps: [{ step, lr, momentum }] }`.
 */
import type { ScheduleOptions, ScheduleResult } from '../../protocol/results';
import { SCHEDULE_POLICIES } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { isSchedulePolicy, makeSchedule, scheduleSteps } from '../../core/schedules';
import type { CliIo } from './io';
import type { FlagSpec, ParsedArgs } from './args';
import { booleanFlag, choiceFlag, integerFlag, numberFlag, parseFlags } from './args';
import { formatLr, sketch } from './terminal';

/** Rows printed at most, so a typo like `--steps 1e9` cannot fill a disk. */
export const MAX_SCHEDULE_ROWS = 1_000_000;

const NUMBER_FLAGS = [
  'max-lr', 'base-lr', 'min-lr', 'lr', 'momentum', 'pct-start', 'div-factor', 'final-div-factor',
  'base-momentum', 'max-momentum', 'gamma', 'annihilation-pct', 'annihilation-div',
] as const;
const INTEGER_FLAGS = ['total-steps', 'steps', 'step-size-up', 'step-size-down'] as const;

export const SCHEDULE_FLAGS: FlagSpec = {
  ...Object.fromEntries([...NUMBER_FLAGS, ...INTEGER_FLAGS].map((f) => [f, { type: 'string' as const }])),
  anneal: { type: 'string' },
  'scale-mode': { type: 'string' },
  'three-phase': { type: 'boolean' },
  'no-cycle-momentum': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const SCHEDULE_HELP = `Usage: lrlab schedule <${SCHEDULE_POLICIES.join('|')}> [options] [--steps N] [--json]

Preview a learning-rate / momentum schedule (PyTorch-named options).
  --max-lr X           peak LR (required except constant, which takes --lr)
  --total-steps T      schedule length; rows 0..T-1 (onecycle, smith, fastai)
  --steps N            rows to print (default T; required for cyclic and constant)
  --pct-start P        onecycle 0.3, fastai 0.25
  --div-factor D       initial LR = max/D (25)
  --final-div-factor F onecycle: min = initial/F (1e4); fastai: final = max/F (1e5)
  --anneal cos|linear  onecycle annealing (cos)
  --three-phase        onecycle three-phase variant
  --min-lr X           smith: low end of the cycle (max/10)
  --annihilation-pct P smith: share of steps for the final annihilation (0.1)
  --annihilation-div D smith: final LR = min/D (1000)
  --base-lr X          cyclic: low end (max/4)
  --step-size-up N     cyclic: steps up (2000); --step-size-down N (= up)
  --gamma G            exp_range decay per iteration (1)
  --scale-mode cycle|iterations
  --base-momentum M    onecycle/smith/fastai 0.85, cyclic 0.8
  --max-momentum M     onecycle/smith/fastai 0.95, cyclic 0.9
  --no-cycle-momentum  leave momentum alone (momentum: null)
  --lr X, --momentum M constant policy
  --json               print { policy, steps: [{ step, lr, momentum }] }
Past the end a finite schedule holds its last value.`;

/** The PyTorch-named schedule flags of a command line, as ScheduleOptions (shared with `lrlab train`). */
export function scheduleOptionsFromArgs(args: ParsedArgs): ScheduleOptions {
  const options: { -readonly [K in keyof ScheduleOptions]: ScheduleOptions[K] } = {};
  const set = <K extends keyof ScheduleOptions>(key: K, value: ScheduleOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('maxLr', numberFlag(args, 'max-lr'));
  set('baseLr', numberFlag(args, 'base-lr'));
  set('minLr', numberFlag(args, 'min-lr'));
  set('lr', numberFlag(args, 'lr'));
  set('momentum', numberFlag(args, 'momentum'));
  set('totalSteps', integerFlag(args, 'total-steps'));
  set('pctStart', numberFlag(args, 'pct-start'));
  set('divFactor', numberFlag(args, 'div-factor'));
  set('finalDivFactor', numberFlag(args, 'final-div-factor'));
  set('anneal', choiceFlag(args, 'anneal', ['cos', 'linear'] as const));
  set('threePhase', booleanFlag(args, 'three-phase'));
  set('baseMomentum', numberFlag(args, 'base-momentum'));
  set('maxMomentum', numberFlag(args, 'max-momentum'));
  set('stepSizeUp', integerFlag(args, 'step-size-up'));
  set('stepSizeDown', integerFlag(args, 'step-size-down'));
  set('gamma', numberFlag(args, 'gamma'));
  set('scaleMode', choiceFlag(args, 'scale-mode', ['cycle', 'iterations'] as const));
  set('annihilationPct', numberFlag(args, 'annihilation-pct'));
  set('annihilationDiv', numberFlag(args, 'annihilation-div'));
  if (booleanFlag(args, 'no-cycle-momentum') === true) options.cycleMomentum = false;

  return options;
}

export function runScheduleCommand(argv: readonly string[], io: CliIo): number {
  const args = parseFlags(argv, SCHEDULE_FLAGS);
  if (booleanFlag(args, 'help') === true) {
    io.out(SCHEDULE_HELP);
    return 0;
  }
  const [policy, ...extra] = args.positionals;
  if (policy === undefined) throw new OptionError('policy', `lrlab schedule needs a policy: one of ${SCHEDULE_POLICIES.join(', ')}.`);
  if (!isSchedulePolicy(policy)) throw new OptionError('policy', `Unknown schedule policy '${policy}'; use one of ${SCHEDULE_POLICIES.join(', ')}.`);
  if (extra.length > 0) throw new OptionError('policy', `Unexpected argument '${extra[0] ?? ''}' after the policy.`);

  const options = scheduleOptionsFromArgs(args);
  const schedule = makeSchedule(policy, options);
  const rows = integerFlag(args, 'steps') ?? schedule.totalSteps;
  if (rows === null) {
    throw new OptionError('steps', `${flagOf('steps')} is required for ${policy}: the schedule has no length of its own.`);
  }
  if (rows < 1 || rows > MAX_SCHEDULE_ROWS) {
    throw new OptionError('steps', `${flagOf('steps')} must be between 1 and ${MAX_SCHEDULE_ROWS}, got ${rows}.`);
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
  const peak = result.steps.reduce((best, s) => (s.lr > best.lr ? s : best), result.steps[0]!);
  const first = result.steps[0]!;
  const last = result.steps[result.steps.length - 1]!;
  const lines = [
    `${result.policy}: ${result.steps.length} steps${totalSteps === null ? '' : ` of ${totalSteps}`}`,
    `LR  start ${formatLr(first.lr)}  peak ${formatLr(peak.lr)} at step ${peak.step}  end ${formatLr(last.lr)}`,
    sketch(lrs),
  ];
  if (momenta.length > 0) {
    lines.push(`momentum  start ${first.momentum?.toFixed(3) ?? '—'}  min ${Math.min(...momenta).toFixed(3)}  end ${last.momentum?.toFixed(3) ?? '—'}`);
    lines.push(sketch(momenta, { height: 5, format: (v) => v.toFixed(3) }));
  } else {
    lines.push('momentum  not driven by this schedule');
  }
  return lines.join('\n');
}
