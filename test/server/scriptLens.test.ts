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
  } finally {
    connection.dispose();
    child.kill();
  }
});
