/**
 * The language server's scanner on a 2,000-line model file (target: under 50 ms per scan, so
 * CodeLenses keep up with typing).
 *
 *   npx tsx bench/scanner.ts
 */
import { scan } from '../src/server/scanner';
import { insertLenses } from '../src/server/insertLenses';

const unit = `
export async function step{{i}}(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  // a comment mentioning model.fit(xs, ys) that must not count
  const label = "model.fit in a string";
  const history = await model.fit(xs, ys, { epochs: 1, batchSize: 32, callbacks: [] });
  return (history.history['loss']?.[0] as number) ?? Number.NaN + label.length;
}
`;
const header = `import * as tf from '@tensorflow/tfjs';
export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 10, inputShape: [4] }));
  return model;
}
export async function loadData() { return { train: { xs: tf.zeros([1, 4]), ys: tf.zeros([1, 10]) } }; }
`;
let text = header;
for (let i = 0; text.split('\n').length < 2000; i++) text += unit.replace('{{i}}', String(i));
const lines = text.split('\n').length;
for (let i = 0; i < 5; i++) scan('model.ts', text); // warm-up (JIT)
const runs = 50;
const t0 = performance.now();
let fits = 0;
for (let i = 0; i < runs; i++) fits = scan('model.ts', text).fitCalls.length;
const ms = (performance.now() - t0) / runs;
console.log(`scan of a ${lines}-line file: ${ms.toFixed(1)} ms per scan (${fits} fit calls found), target < 50 ms → ${(ms / 50).toFixed(2)} of the budget`);

// The lenses of that file once a schedule and a weight decay exist: a scan, then each insertion
// built as the command would build it (so the lens can say why when it cannot insert).
const lensValues = { maxLr: 0.3, minLr: 0.03, maxMomentum: 0.95, minMomentum: 0.85, runId: '0123456789abcdef', date: '2026-11-28' };
const decay = { weightDecay: 1e-4, form: 'l2' as const, source: 'sweep' as const, runId: 'fedcba9876543210', date: '2026-11-29' };
const document = { uri: 'file:///model.ts', version: 1, fileName: 'model.ts', text };
for (let i = 0; i < 5; i++) insertLenses(document, scan('model.ts', text), lensValues, decay);
const t1 = performance.now();
for (let i = 0; i < runs; i++) insertLenses(document, scan('model.ts', text), lensValues, decay);
const lensMs = (performance.now() - t1) / runs;
console.log(`lenses of that file with a schedule and a weight decay: ${lensMs.toFixed(1)} ms per request, target < 50 ms → ${(lensMs / 50).toFixed(2)} of the budget`);
