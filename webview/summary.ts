/**
 * The panel's text under the chart: per result kind, its table, the reason of each pick, the
 * verdict, the baseline (the loss of a model that learned nothing) and the warnings. All text is
 * set with textContent. Sees only `src/protocol`.
 */
import type { RunSnapshot } from '../src/protocol/webviewMessages';
import type { Baseline, LrRange, SuggestionName } from '../src/protocol/results';
import { describeNormStats, describeOptimizer, describeTrials, formatCount, formatLoss, formatLosses, formatLr, formatMomentum, formatPercent, formatSeconds, formatWeightDecay } from '../src/protocol/format';
import { describeBaseline } from '../src/protocol/baselineText';
import { formatMetric, metricColumns } from '../src/protocol/metricColumns';
import { cancelledAfterText, noHeadlineLines, recommendedOf, shownStop, sweepDivergence } from '../src/protocol/rangeView';
import { placementOf } from '../src/protocol/placement';
import { element } from './dom';

const SUGGESTIONS: readonly SuggestionName[] = ['valley', 'steep', 'minimum'];

/** "Baseline: the chance level 0.693 = ln 2 (validation 0.69) — the loss of a model that learned nothing." */
function baselineNote(baseline: Baseline | null | undefined): string | null {
  if (baseline === null || baseline === undefined) return null;
  const val = baseline.valLoss === null || formatLoss(baseline.valLoss) === formatLoss(baseline.loss) ? '' : ` (validation ${formatLoss(baseline.valLoss)})`;
  return `Baseline: ${describeBaseline(baseline)}${val} — the loss of a model that learned nothing.`;
}

function row(parent: HTMLElement, cells: string[], id?: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  if (id !== undefined) tr.id = id;
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }
  parent.appendChild(tr);
  return tr;
}

/**
 * The text under the chart: tables, reasons, verdicts and warnings of the run's result. `shown`
 * is the range drawn on the chart and whether the user chose it (by dragging, now or before).
 */
export function renderSummary(run: RunSnapshot | null, shown: { readonly range: LrRange | null; readonly chosen: boolean }): void {
  const summary = element('summary');
  const title = element('title');
  const status = element('status');
  const cancel = element<HTMLButtonElement>('cancel');
  summary.replaceChildren();
  const note = (text: string, id?: string, className?: string): void => {
    const p = document.createElement('p');
    if (id !== undefined) p.id = id;
    if (className !== undefined) p.className = className;
    p.textContent = text;
    summary.appendChild(p);
  };
  const baseline = (b: Baseline | null | undefined): void => {
    const text = baselineNote(b);
    if (text !== null) note(text, 'baseline');
  };
  // Nothing drawn (no run, or one that failed before its first point): no empty chart, nothing to
  // export (a run that failed while loading its model showed an empty chart and CSV/JSON/PNG buttons).
  const drawn = run === null ? 0 : (run.series['main']?.length ?? Object.values(run.series).reduce((n, s) => n + s.length, 0));
  const empty = run === null || (run.state !== 'running' && drawn === 0 && run.result === null);
  element('chart-box').hidden = run !== null && empty;
  for (const id of ['export-csv', 'export-json', 'export-png']) element<HTMLButtonElement>(id).hidden = empty;
  if (run === null) {
    title.textContent = 'LR Lab';
    status.textContent = 'No run yet: run "LR Lab: Find learning rate".';
    summary.dataset['points'] = '0';
    return;
  }
  const points = drawn;
  summary.dataset['points'] = String(points);
  // When this page first drew a point (epoch ms): the editor tests time command → first plotted point by it.
  if (points > 0 && summary.dataset['firstPointAt'] === undefined) summary.dataset['firstPointAt'] = String(Date.now());
  summary.dataset['state'] = run.state;
  title.textContent = run.label;
  cancel.hidden = run.state !== 'running';
  // Running: the progress line (it names each trial's worker); done: also where the trials ran (--redis).
  // A cancelled run without a result says why where it can (interrupted by a reload, cancelled while loadData ran): it read "cancelled" alone.
  status.textContent = run.state === 'running' ? (run.progress?.message ?? 'starting…') : run.state === 'failed' ? `failed: ${run.error ?? ''}` : run.state === 'cancelled' && run.result === null && run.error !== null ? `cancelled: ${run.error}` : [run.state, placementOf(run.result)].filter((t) => t !== null).join('. ');
  if (run.result?.kind === 'sweep') {
    const sweepResult = run.result;
    const table = document.createElement('table');
    row(table, ['curve', 'min loss', 'at LR', 'stable range', 'above start at', 'max LR']);
    sweepResult.curves.forEach((c, i) => {
      row(table, [`${i === sweepResult.best ? '★ ' : ''}${c.label}`, formatLosses(sweepResult.curves.map((x) => x.minSmoothedLoss))[i] ?? '—', formatLr(c.lrAtMinLoss), c.stableRange === null ? '—' : `${formatLr(c.stableRange.minLr)} – ${formatLr(c.stableRange.maxLr)}`, formatLr(sweepDivergence(c)), formatLr(c.recommended?.maxLr ?? null)], `curve-${i}`);
    });
    summary.appendChild(table);
    for (const line of noHeadlineLines(sweepResult.curves)) note(`${line.charAt(0).toUpperCase()}${line.slice(1)}`);
    note(`Best balance: ${sweepResult.reason}`, 'reason');
    baseline(sweepResult.baseline);
    for (const text of sweepResult.warnings) note(text, undefined, 'warning');
    return;
  }
  const other = run.result;
  if (other?.kind === 'momentum' || other?.kind === 'weight-decay') {
    const table = document.createElement('table');
    row(table, ['run', 'early validation loss']);
    other.runs.forEach((r, i) => row(table, [`${i === other.best ? '★ ' : ''}${r.label}`, r.earlyValLoss === null ? (r.diverged ? 'diverged' : '—') : (formatLosses(other.runs.map((x) => x.earlyValLoss))[i] ?? '—')]));
    summary.appendChild(table);
    note(`Best: ${other.reason}`, 'reason');
    baseline(other.baseline);
    for (const w of other.warnings) note(w, undefined, 'warning');
    return;
  }
  if (other?.kind === 'batch-size') {
    const table = document.createElement('table');
    row(table, ['batch size', 'max LR', 'val loss', 'val acc', 'to target']);
    other.runs.forEach((r, i) => row(table, [`${i === other.best ? '★ ' : ''}${r.batchSize}`, r.status === 'ok' ? formatLr(r.maxLr) : `${r.status}: ${r.reason ?? ''}`, formatLosses(other.runs.map((x) => x.finalValLoss))[i] ?? '—', formatPercent(r.finalValAccuracy), formatSeconds(r.timeToTarget)]));
    summary.appendChild(table);
    note(`Best: ${other.reason}`, 'reason');
    baseline(other.baseline);
    for (const w of other.warnings) note(w, undefined, 'warning');
    return;
  }
  if (other?.kind === 'recipe') {
    const table = document.createElement('table');
    row(table, ['step', 'status', 'time', 'finding']);
    for (const step of other.steps) row(table, [step.name, step.status, formatSeconds(step.seconds), step.message]);
    summary.appendChild(table);
    const r = other.recommendation;
    if (r !== null) note(`Recommendation: 1cycle (${r.schedule}) LR ${formatLr(r.lr.minLr)} → ${formatLr(r.lr.maxLr)}, momentum ${r.momentum.max === r.momentum.min ? formatMomentum(r.momentum.max) : `${formatMomentum(r.momentum.max)} → ${formatMomentum(r.momentum.min)}`}, weight decay ${formatWeightDecay(r.weightDecay)}, batch size ${r.batchSize}, ${formatCount(r.epochs, 'epoch')}${r.epochsReason === undefined ? '' : ` (${r.epochsReason})`}`, 'reason');
    if (other.failure !== null && other.failure !== undefined) note(`No recommendation: ${other.failure}`, 'failure', 'warning');
    if (other.diagnosis !== null) note(`Verdict of the confirming run: ${other.diagnosis.verdict ?? 'none'} — ${other.diagnosis.reason}`, 'verdict');
    baseline(other.baseline);
    for (const w of other.warnings) note(w, undefined, 'warning');
    return;
  }
  if (run.result?.kind === 'train') {
    const trainResult = run.result;
    note(`Verdict: ${trainResult.diagnosis.verdict ?? 'none'} — ${trainResult.diagnosis.reason}`, 'verdict');
    const table = document.createElement('table');
    // The model's own metrics by its names; a regression gets no empty accuracy column.
    const columns = metricColumns(trainResult.history);
    row(table, ['epoch', 'train loss', 'val loss', ...columns.map((c) => c.title), 'LR', 'momentum']);
    const [train, val] = [formatLosses(trainResult.history.map((h) => h.trainLoss)), formatLosses(trainResult.history.map((h) => h.valLoss))];
    trainResult.history.forEach((h, i) => row(table, [String(h.epoch), train[i] ?? '—', val[i] ?? '—', ...columns.map((c) => formatMetric(c.name, c.value(h))), formatLr(h.lr), formatMomentum(h.momentum)]));
    summary.appendChild(table);
    baseline(trainResult.baseline);
    if (trainResult.normStats !== undefined) {
      const text = describeNormStats(trainResult.normStats);
      note(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`, 'norm-stats');
    }
    for (const text of trainResult.warnings) note(text, undefined, 'warning');
    return;
  }
  const result = run.result?.kind === 'find-lr' ? run.result : null;
  if (result === null) return;
  const table = document.createElement('table');
  row(table, ['suggestion', 'LR', 'why']);
  // Exactly one range row, the headline's (or the one the user dragged), first and emphasised.
  const headline = recommendedOf(result);
  const r = shown.range;
  const why = shown.chosen ? `chosen by dragging${headline === null ? '' : `; recommended ${formatLr(headline.minLr)} – ${formatLr(headline.maxLr)}: ${headline.reason}`}` : (headline?.reason ?? result.reasons.range);
  row(table, [shown.chosen ? 'chosen range' : 'recommended', r === null ? '—' : `${formatLr(r.minLr)} – ${formatLr(r.maxLr)}`, why], 'suggestion-range').className = 'headline';
  for (const name of SUGGESTIONS) row(table, [`${name} (alternative)`, formatLr(result.suggestions[name]), result.reasons[name]], `suggestion-${name}`);
  summary.appendChild(table);
  baseline(result.baseline);
  const stop = shownStop(result);
  note(`${formatCount(result.points.length, 'step')} on ${result.backend} in ${formatSeconds(result.rangeTests?.find((t) => t.shown)?.seconds ?? result.seconds)} · stopped: ${stop.stopReason}${stop.divergedAt === null ? '' : ` at LR ${formatLr(stop.divergedAt)}`}${stop.cancelledIn === null ? '' : `; ${cancelledAfterText(stop.cancelledIn)}`}`, 'meta');
  if (result.rangeTests !== undefined && result.rangeTests.length > 1) {
    const tests = result.rangeTests.map((t, k) => `test ${k + 1}${t.seed === null ? '' : ` (seed ${t.seed})`} → ${t.maxLr === null ? 'none' : formatLr(t.maxLr)}${t.stopReason === 'cancelled' ? ' (cut short)' : ''}`).join(', ');
    const shown = result.rangeTests.findIndex((t) => t.shown);
    note(`${result.rangeTests.length} range tests in ${formatSeconds(result.seconds)}, recommended max LR per test: ${tests}; the curve shown is test ${shown + 1}'s, the median`, 'range-tests');
  }
  if (result.trials !== undefined) {
    // find-lr --lr-trials: the short runs that chose the headline, the chosen one starred.
    note(describeTrials(result.trials, result.recommended?.maxLr ?? null), 'trials');
  }
  if (result.optimizer !== undefined) note(describeOptimizer(result.optimizer), 'meta');
  // The backend's note once (the warnings repeat it where the run's notes start with it).
  for (const text of new Set([...(result.backendNote === null ? [] : [result.backendNote]), ...result.warnings])) note(text, undefined, 'warning');
}

