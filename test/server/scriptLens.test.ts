/**
 * The real language server over LSP on training scripts (no createModel/loadData exports): a
 * "Find learning rate" lens above every fit/fitDataset call, running the palette command on
 * that file — with the call's line where the file has several, so the engine takes that call and
 * not the first one the script makes; a file that only builds a model still gets "Set up for LR Lab".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { built } from '../built';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

interface Lens { range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }

const SCRIPT = `import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 1, inputShape: [1] }));
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });

async function main() {
  await model.fit(tf.zeros([8, 1]), tf.zeros([8, 1]), { epochs: 2 });
  // model.fit(in a comment) is not a call
  const ds = tf.data.array([{ xs: tf.zeros([1]), ys: tf.zeros([1]) }]).batch(1);
  model.fitDataset(ds, { epochs: 1 }).then(() => console.log('done'));
}
main();
`;

const ONE_FIT = `const tf = require('@tensorflow/tfjs');
const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
model.fit(tf.zeros([8, 1]), tf.zeros([8, 1]), { epochs: 2 });
`;

const BUILDER_ONLY = `import * as tf from '@tensorflow/tfjs';
export function build() {
  const model = tf.sequential();
  return model;
}
`;

test('a training script gets "Find learning rate" above each fit/fitDataset call; a builder-only file "Set up for LR Lab"', async () => {
  const child = spawn(process.execPath, [built('server.js'), '--stdio']);
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', () => [null]);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { codeLens: { refreshSupport: true }, configuration: true } } });
    await connection.sendNotification('initialized', {});
    const lensesOf = async (name: string, text: string, languageId: string): Promise<Lens[]> => {
      const uri = `file:///work/${name}`;
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    };
    const lines = SCRIPT.split('\n');
    const script = await lensesOf('train.ts', SCRIPT, 'typescript');
    const fitLine = lines.findIndex((l) => l.includes('await model.fit('));
    const fitDatasetLine = lines.findIndex((l) => l.includes('model.fitDataset('));
    // Two calls: each lens passes its call's 1-based line (the engine's fitLine); it passed the file
    // alone, and the engine took the first call the script makes whichever lens was clicked.
    assert.deepEqual(
      script.map((l) => [l.command.title, l.range.start.line, l.command.command, l.command.arguments]),
      [
        ['Find learning rate', fitLine, 'lrlab.findLearningRate', ['file:///work/train.ts', fitLine + 1]],
        ['Find learning rate', fitDatasetLine, 'lrlab.findLearningRate', ['file:///work/train.ts', fitDatasetLine + 1]],
      ],
    );
    const single = await lensesOf('one.js', ONE_FIT, 'javascript');
    assert.deepEqual(single.map((l) => [l.command.title, l.command.arguments]), [['Find learning rate', ['file:///work/one.js']]], 'one call: the first call is the one');
    const builder = await lensesOf('model.js', BUILDER_ONLY, 'javascript');
    assert.deepEqual(builder.map((l) => l.command.title), ['Set up for LR Lab']);
    // Scripts whose model no name shows (a user trial: no lens, or "Set up for LR Lab" beside a working
    // script): a helper's parameter, an imported builder's result, a field of an object or a class.
    const HEAD = "import * as tf from '@tensorflow/tfjs';\n";
    const styles: [string, string][] = [
      ['helper.mjs', `${HEAD}async function train(network, xs, ys) {\n  await network.fit(xs, ys, { epochs: 2 });\n}\nconst m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });\nawait train(m, tf.ones([8, 4]), tf.ones([8, 3]));\n`],
      ['imported.mjs', `${HEAD}import { buildNet } from './net.mjs';\nconst net = buildNet();\nawait net.fit(tf.ones([8, 4]), tf.ones([8, 3]), { epochs: 1 });\n`],
      ['field.mjs', `${HEAD}const nets = { main: tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] }) };\nawait nets.main.fit(tf.ones([8, 4]), tf.ones([8, 3]), { epochs: 2 });\n`],
      ['member.mjs', `${HEAD}class Trainer {\n  constructor(net) { this.net = net; }\n  train() { return this.net.fit(tf.ones([8, 4]), tf.ones([8, 3]), { epochs: 2 }); }\n}\n`],
    ];
    for (const [name, text] of styles) {
      const found = await lensesOf(name, text, 'javascript');
      const fit = text.split('\n').findIndex((l) => /\.fit\(/.test(l));
      assert.deepEqual(found.map((l) => [l.command.title, l.range.start.line]), [['Find learning rate', fit]], name);
    }
    // Not another object's fit where the file shows its origin: a class's `new`, or a function of its own.
    for (const [i, text] of [`${HEAD}import { Regression } from 'ml-regression';\nconst reg = new Regression();\nreg.fit(xs, ys);\n`, `${HEAD}function make() { return { fit: () => 1 }; }\nconst scaler = make();\nscaler.fit(xs);\n`].entries()) {
      assert.deepEqual((await lensesOf(`other${i}.mjs`, text, 'javascript')).map((l) => l.command.title), [], text);
    }
  } finally {
    connection.dispose();
    child.kill();
  }
});
