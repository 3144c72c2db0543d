/**
 * Should find-lr's short runs reach past their edge? Where the pick is the lowest of its three runs
 * (headline/3) or the highest (3x the headline), the oracle grids say what one more step that way
 * (pick/3, pick*3) would have given, in regret (target units), on every advice task:
 *
 *   node --import tsx bench/adviceEdges.ts
 *
 * An upper bound for a rule that runs one more round at the edge: it could only pick that LR where
 * the short runs also rank it first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADVICE_TASKS } from './adviceTasks';
import { readTask } from './adviceQuality';
import { scorer, trialsHeadline } from './adviceScore';
const store = JSON.parse(readFileSync(path.join(__dirname, 'advice', 'trials-100-seeds12.json'), 'utf8'));
const rows: string[] = [];
const sum = { low: { n: 0, better: 0, worse: 0, gain: 0 }, high: { n: 0, better: 0, worse: 0, gain: 0 } };
for (const task of ADVICE_TASKS) {
  const data = readTask(task.id);
  const pick = trialsHeadline(task, data);
  const trials = store[task.id]?.trials as { lr: number; earlyValLoss: number | null }[] | undefined;
  if (pick === null || trials === undefined || trials.length < 2) continue;
  const lrs = trials.map((t) => t.lr);
  const lo = Math.min(...lrs), hi = Math.max(...lrs);
  const { regret } = scorer(task, data);
  const side = Math.abs(pick / lo - 1) < 1e-6 ? 'low' : Math.abs(pick / hi - 1) < 1e-6 ? 'high' : null;
  if (side === null) continue;
  const other = side === 'low' ? pick / 3 : pick * 3;
  const r0 = regret(pick), r1 = regret(other);
  const s = sum[side]; s.n++; if (r1 < r0 - 0.1) s.better++; if (r1 > r0 + 0.1) s.worse++; s.gain += r0 - r1;
  rows.push(`${side} ${task.id}${task.heldOut ? ' (held out)' : ''}: pick ${pick.toPrecision(3)} regret ${r0.toFixed(2)} → ${side === 'low' ? '/3' : 'x3'} ${r1.toFixed(2)}  trials ${trials.map((t) => `${t.lr.toPrecision(3)}:${t.earlyValLoss?.toPrecision(3)}`).join(' ')}`);
}
console.log(rows.join('\n'));
console.log(JSON.stringify(sum));
