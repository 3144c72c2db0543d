/**
 * Do the verdicts read what training outcomes show? The runs of users' trials (`lrlab train --json`
 * on each model at a grid of max LRs and seeds, same epochs), kept as their histories so that a change
 * to the verdict rules (src/core/diagnosis.ts) is re-judged in seconds:
 *
 *   node --import tsx bench/verdictQuality.ts --import DIR NAME   # DIR's train JSONs → bench/verdicts/NAME.json
 *   node --import tsx bench/verdictQuality.ts [--changes]         # every stored run re-judged now
 *
 * Run files are named `<model>_<policy>_e<epochs>_lr<maxLr>_s<seed>.json` (or, from an earlier trial,
 * `<model>.tr.f<factor>.s<seed>.json`: the max LR as a factor of that model's find-lr headline). Per
 * model and length, a run's outcome is its last validation loss over the lowest of the group's: the
 * table counts today's verdicts by how far from the group's best a run ended. `--changes` lists the
 * runs whose verdict today differs from the one stored with them (the code's at the trial).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../src/core/diagnosis';
import type { Baseline, EpochRecord } from '../src/protocol/results';

interface StoredRun {
  readonly model: string;
  readonly group: string;
  /** The max LR (or, `factor: true`, its factor of the headline). */
  readonly lr: number;
  readonly factor?: boolean;
  readonly seed: number;
  readonly baseline: Baseline | null;
  /** The verdict the run read when it ran. */
  readonly verdict: string | null;
  /** epoch, validation loss, training loss, validation accuracy, LR. */
  readonly rows: readonly (readonly [number, number | null, number | null, number | null, number])[];
}

const STORE = path.join(__dirname, 'verdicts');

function importRuns(dir: string, name: string): void {
  const runs: StoredRun[] = [];
  for (const file of readdirSync(dir).sort()) {
    const plain = /^(.+?)_(onecycle|smith|constant|fastai)_e(\d+)_lr([\d.e-]+)_s(\d+)\.json$/.exec(file);
    const factor = /^(m\d\w+)\.tr\.f([\d.]+)\.s(\d+)\.json$/.exec(file);
    if (plain === null && factor === null) continue;
    let result: { history?: EpochRecord[]; baseline?: Baseline | null; diagnosis?: { verdict: string | null } };
    try {
      const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { result?: typeof result } & typeof result;
      result = json.result ?? json;
    } catch {
      continue;
    }
    const history = result.history ?? [];
    if (history.length === 0) continue;
    const rows = history.map((h) => [h.epoch, h.valLoss, h.trainLoss, h.valAccuracy, h.lr] as const);
    const common = { baseline: result.baseline ?? null, verdict: result.diagnosis?.verdict ?? null, rows };
    if (plain !== null) runs.push({ model: plain[1]!, group: `${plain[1]} ${plain[2]} ${plain[3]} epochs`, lr: Number(plain[4]), seed: Number(plain[5]), ...common });
    else runs.push({ model: factor![1]!, group: `${factor![1]} onecycle`, lr: Number(factor![2]), factor: true, seed: Number(factor![3]), ...common });
  }
  writeFileSync(path.join(STORE, `${name}.json`), `${JSON.stringify({ runs }, null, 0)}\n`);
  console.log(`${runs.length} runs → bench/verdicts/${name}.json`);
}

const BUCKETS = [
  { name: 'at the best (within 5%)', max: 1.05 },
  { name: '5–25% worse', max: 1.25 },
  { name: 'over 25% worse', max: Number.POSITIVE_INFINITY },
] as const;
const VERDICTS = ['good', 'underfitting', 'overfitting', 'unstable', 'not-learning', 'none'] as const;

function score(changes: boolean): void {
  const counts = BUCKETS.map(() => new Map<string, number>());
  const changed: string[] = [];
  let total = 0;
  for (const file of readdirSync(STORE).filter((f) => f.endsWith('.json')).sort()) {
    const { runs } = JSON.parse(readFileSync(path.join(STORE, file), 'utf8')) as { runs: StoredRun[] };
    const groups = new Map<string, StoredRun[]>();
    for (const run of runs) groups.set(run.group, [...(groups.get(run.group) ?? []), run]);
    for (const [group, members] of groups) {
      const lastLoss = (r: StoredRun): number => r.rows.at(-1)![1] ?? Number.POSITIVE_INFINITY;
      const best = Math.min(...members.map(lastLoss).filter((x) => Number.isFinite(x) && x > 0));
      for (const run of members) {
        const history: EpochRecord[] = run.rows.map(([epoch, valLoss, trainLoss, valAccuracy, lr]) => ({ epoch, valLoss, trainLoss, valAccuracy, lr, momentum: null, metrics: {}, valMetrics: {}, seconds: 0 }));
        const lrs = run.rows.map((r) => r[4]).filter((x) => Number.isFinite(x));
        const now = diagnose(history, run.baseline, lrs.length > 0 ? Math.max(...lrs) : null).verdict ?? 'none';
        const ratio = lastLoss(run) / best;
        const bucket = BUCKETS.findIndex((b) => ratio <= b.max);
        counts[bucket]!.set(now, (counts[bucket]!.get(now) ?? 0) + 1);
        total++;
        if (now !== (run.verdict ?? 'none')) changed.push(`${file.replace('.json', '')}: ${group}, ${run.factor === true ? `${run.lr}x the headline` : `max LR ${run.lr}`}, seed ${run.seed} (last validation loss ${ratio.toFixed(2)}x the group's best): ${run.verdict ?? 'none'} → ${now}`);
      }
    }
  }
  console.log(`| outcome (last validation loss against the best of its model's grid) | ${VERDICTS.join(' | ')} |`);
  console.log(`|---|${VERDICTS.map(() => '---').join('|')}|`);
  BUCKETS.forEach((b, i) => console.log(`| ${b.name} | ${VERDICTS.map((v) => counts[i]!.get(v) ?? 0).join(' | ')} |`));
  console.log(`\n${total} runs; ${changed.length} read another verdict today than when they ran.`);
  if (changes) for (const line of changed) console.log(`- ${line}`);
}

const args = process.argv.slice(2);
const at = args.indexOf('--import');
if (at >= 0) importRuns(args[at + 1]!, args[at + 2]!);
else score(args.includes('--changes'));
