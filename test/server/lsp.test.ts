/**
 * The real language server over LSP (dist/server.js on stdio; `npm run build` makes it): lenses
 * before and after a result (the schedule at `fit`, the weight decay above `model.compile`), each
 * insertion arriving as one versioned workspace/applyEdit, an edit for an older document version
 * refused with a message instead of applied to the wrong place, and lenses that say why they cannot
 * insert (a file style LR Lab cannot edit safely, a run file with a string where a number belongs)
 * and, clicked, show the reason with the fix and change nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { built } from '../built';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { ResultsNotification } from '../../src/protocol/serverMessages';

const root = path.join(__dirname, '..', '..');
const file = path.join(root, 'test', 'editor', 'fixtures', 'workspace', 'tiny-model.js');
const uri = `file://${file}`;

interface Lens { range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }

/** Polls `condition` until it holds (the server answers asynchronously); fails after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

interface Edit { label?: string; edit: { documentChanges: { textDocument: { uri: string; version: number }; edits: { range: { start: { line: number } }; newText: string }[] }[] } }

/**
 * The built server on stdio, as an editor's client: it records the edits the server applies, the
 * messages it shows and how often it asks for fresh lenses. Initialized before it is returned.
 */
async function startServer(options: { refuseMessages?: boolean } = {}): Promise<{ connection: MessageConnection; edits: Edit[]; warnings: string[]; refreshes: () => number; stop: () => void; exited: () => boolean }> {
  const child = spawn(process.execPath, [built('server.js'), '--stdio']);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const edits: Edit[] = [];
  const warnings: string[] = [];
  let refreshes = 0;
  connection.onRequest('workspace/configuration', () => [null]);
  connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    return null;
  });
  connection.onRequest('workspace/applyEdit', (params: Edit) => {
    edits.push(params);
    return { applied: true };
  });
  connection.onNotification('window/showMessage', (p: { message: string }) => warnings.push(p.message));
  connection.onRequest('window/showMessageRequest', (p: { message: string }) => {
    warnings.push(p.message);
    // An editor that does not show messages this way answers with an error.
    if (options.refuseMessages === true) throw new Error('Unhandled method window/showMessageRequest');
    return null;
  });
  connection.listen();
  await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { applyEdit: true, codeLens: { refreshSupport: true }, configuration: true } } });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    edits,
    warnings,
    refreshes: () => refreshes,
    exited: () => exited,
    stop: () => {
      connection.dispose();
      child.kill();
    },
  };
}

test('lenses, a versioned insertion edit, refusal for a changed document, lenses that say why they cannot insert', async () => {
  const { connection, edits, warnings, refreshes, stop } = await startServer();
  try {
    const text = readFileSync(file, 'utf8');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
    const before = await connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(before.map((l) => l.command.title), ['Find learning rate', 'Run tuning recipe']);
    const unsafe = 'file:///tmp/lrlab-unsafe.mjs';
    const hostile = 'file:///tmp/lrlab-hostile.mjs';
    const fitOf = (callbacks: string): string => `import * as tfjs from '@tensorflow/tfjs';\nconst model = tfjs.sequential();\nawait model.fit(xs, ys, { callbacks: ${callbacks} });\n`;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: unsafe, languageId: 'javascript', version: 1, text: fitOf('makeCallbacks()') } });
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: hostile, languageId: 'javascript', version: 1, text: fitOf('[{ onEpochEnd() {} }]') } });
    const doubtful = 'file:///tmp/lrlab-doubtful.mjs';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: doubtful, languageId: 'javascript', version: 1, text: fitOf('[]') } });
    const refreshed = refreshes();
    // By its method name: this also sends values ResultsParams forbids (a hostile run file's).
    await connection.sendNotification(ResultsNotification.method, {
      schedules: [
        // 'unconfirmed' only as the boolean true: a run file's string says nothing.
        { uri, maxLr: 0.15, minLr: 0.015, maxMomentum: 0.95, minMomentum: 0.85, unconfirmed: 'true', runId: 'abcdef0123', date: '2026-11-28' },
        { uri: doubtful, maxLr: 0.9, minLr: 0.09, maxMomentum: 0.95, minMomentum: 0.85, unconfirmed: true, runId: 'abcdef0123', date: '2026-11-28' },
        { uri: unsafe, maxLr: 0.15, minLr: 0.015, maxMomentum: 0.95, minMomentum: 0.85, runId: 'abcdef0123', date: '2026-11-28' },
        { uri: hostile, maxLr: '1e999', minLr: 0.015, maxMomentum: 0.95, minMomentum: 0.85, runId: '\nfor(var', date: ';;);//' },
      ],
      weightDecays: [{ uri, weightDecay: 1e-4, form: 'l2', source: 'sweep', runId: '0123abcdef', date: '2026-11-29' }],
    });
    await waitFor(() => refreshes() > refreshed, 'the server to ask for fresh lenses');
    const after = await connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    const insert = after.find((l) => l.command.title.startsWith('Insert 1cycle schedule'));
    assert.ok(insert !== undefined, JSON.stringify(after.map((l) => l.command.title)));
    assert.equal(insert.command.title, 'Insert 1cycle schedule (max LR 0.15, min 0.015, momentum 0.95→0.85)');
    const decay = after.find((l) => l.command.title.startsWith('Insert weight decay'));
    assert.ok(decay !== undefined, JSON.stringify(after.map((l) => l.command.title)));
    assert.equal(decay.command.title, 'Insert weight decay 1e-4');
    assert.equal(decay.range.start.line, text.split('\n').findIndex((l) => l.includes('model.compile(')), 'above model.compile');

    await connection.sendRequest('workspace/executeCommand', { command: insert.command.command, arguments: insert.command.arguments });
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.edit.documentChanges.length, 1);
    assert.deepEqual(edits[0]!.edit.documentChanges[0]!.textDocument, { uri, version: 1 });

    await connection.sendRequest('workspace/executeCommand', { command: decay.command.command, arguments: decay.command.arguments });
    assert.equal(edits.length, 2);
    assert.equal(edits[1]!.label, 'Insert weight decay 1e-4');
    assert.deepEqual(edits[1]!.edit.documentChanges.map((c) => c.textDocument), [{ uri, version: 1 }], 'one versioned document change');
    assert.ok(edits[1]!.edit.documentChanges[0]!.edits.some((e) => e.newText.includes('const weightDecay = 1e-4;')));

    // The user types: the lenses computed for version 1 must not apply to version 2.
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n// edited\n` }] });
    await connection.sendRequest('workspace/executeCommand', { command: insert.command.command, arguments: insert.command.arguments });
    await connection.sendRequest('workspace/executeCommand', { command: decay.command.command, arguments: decay.command.arguments });
    await waitFor(() => warnings.length >= 2, 'two warnings');
    assert.equal(edits.length, 2, 'no edit for the changed document');
    assert.equal(warnings.filter((w) => /file changed since the lens was shown; nothing was inserted/.test(w)).length, 2, warnings.join(' | '));

    // A style LR Lab cannot edit safely, and a run file with a string where a number belongs: the lens says why.
    const scheduleLens = async (doc: string): Promise<Lens | undefined> => (await connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: doc } })).find((l) => l.command.title.includes('1cycle'));
    const unsafeLens = await scheduleLens(unsafe);
    assert.equal(unsafeLens?.command.title, 'Insert 1cycle schedule (max LR 0.15, min 0.015, momentum 0.95→0.85), block only (the callbacks come from makeCallbacks(…), which LR Lab cannot see into: the call is yours to add)');
    // A headline nothing was seen to learn at says so, as the panel's marker does.
    assert.equal((await scheduleLens(doubtful))?.command.title, 'Insert 1cycle schedule (max LR 0.9, min 0.09, momentum 0.95→0.85, unconfirmed)');
    const hostileLens = await scheduleLens(hostile);
    assert.equal(hostileLens?.command.title, "Can't insert 1cycle schedule: run forvar: its maxLr is a string, not a number");
    for (const lens of [unsafeLens, hostileLens]) await connection.sendRequest('workspace/executeCommand', { command: lens.command.command, arguments: lens.command.arguments });
    await waitFor(() => warnings.length >= 4, 'the reasons shown on click');
    // The unsafe style gets the block (the factory its call needs), not the call; the hostile values nothing.
    assert.equal(edits.length, 3, 'the block only');
    assert.ok(edits[2]!.edit.documentChanges[0]!.edits.every((e) => e.newText.includes('function lrlabOneCycle(')), 'only the block');
    assert.equal(warnings[2], "LR Lab: inserted the block, not its call: the callbacks come from makeCallbacks(…), which LR Lab cannot see into; add lrlabOneCycle(model) to the callbacks of fit yourself: the schedule's block, which defines `lrlabOneCycle`, is inserted above the fit call.");
    assert.equal(warnings[3], "LR Lab: can't insert: run forvar: its maxLr is a string, not a number; run the experiment again; the schedule was not inserted.");
  } finally {
    stop();
  }
});

test('an editor that refuses the server\'s messages does not end it (it died with "Unhandled method window/showMessageRequest" and a stack trace)', async () => {
  const { connection, edits, warnings, exited, stop } = await startServer({ refuseMessages: true });
  try {
    const text = readFileSync(file, 'utf8');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
    await connection.sendNotification(ResultsNotification.method, { schedules: [{ uri, maxLr: 0.15, minLr: 0.015, maxMomentum: 0.95, minMomentum: 0.85, runId: 'abcdef0123', date: '2026-11-28' }], weightDecays: [] });
    let insert: Lens | undefined;
    for (let tries = 0; insert === undefined && tries < 50; tries++) {
      insert = (await connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } })).find((l) => l.command.title.startsWith('Insert 1cycle schedule'));
      if (insert === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(insert !== undefined, 'an insert lens');
    // A stale lens: the server warns, and the editor refuses the warning.
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n// edited\n` }] });
    await connection.sendRequest('workspace/executeCommand', { command: insert.command.command, arguments: insert.command.arguments });
    await waitFor(() => warnings.length >= 1, 'the warning');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(exited(), false, 'the server is still running');
    const lenses = await connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.length > 0, 'and still answers');
    assert.equal(edits.length, 0);
  } finally {
    stop();
  }
});

test('a file with two fit calls: the lens above the second one inserts into the second one', async () => {
  const { connection, edits, refreshes, stop } = await startServer();
  try {
    const twoFits = 'file:///tmp/lrlab-two-fits.mjs';
    const text = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nawait model.fit(xs, ys, { epochs: 1 });\nawait model.fit(xs, ys, { epochs: 3 });\n";
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: twoFits, languageId: 'javascript', version: 1, text } });
    await connection.sendNotification(ResultsNotification.method, { schedules: [{ uri: twoFits, maxLr: 0.15, minLr: 0.015, maxMomentum: 0.95, minMomentum: 0.85, runId: 'abcdef0123', date: '2026-11-28' }], weightDecays: [] });
    await waitFor(() => refreshes() > 0, 'the server to ask for fresh lenses');
    const lenses = (await connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: twoFits } })).filter((l) => l.command.title.startsWith('Insert 1cycle'));
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command.arguments]), [[2, [twoFits, 1, 0]], [3, [twoFits, 1, 1]]]);
    await connection.sendRequest('workspace/executeCommand', { command: lenses[1]!.command.command, arguments: lenses[1]!.command.arguments });
    assert.equal(edits.length, 1);
    const call = edits[0]!.edit.documentChanges[0]!.edits.find((e) => e.newText.includes('lrlabOneCycle(model)') && !e.newText.includes('function'));
    assert.equal(call?.range.start.line, 3, 'the call goes into the second fit');
  } finally {
    stop();
  }
});
