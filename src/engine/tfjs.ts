/**
 * The only file that loads TensorFlow.js. Everything else receives `tf` by injection.
 *
 * Backend order for `auto` (design.md): the workspace's own `@tensorflow/tfjs-node(-gpu)` (then
 * the whole tf namespace is the workspace's), the extension's optional tfjs-node, the bundled
 * tfjs with the WebAssembly backend, and last the pure-JS `cpu` backend — never silently: the
 * report says why each faster option was not used.
 *
 * tfjs-node and the bundled tfjs must never both load in one process (they share the global
 * engine and kernel registry), so every candidate is `require`d lazily and only once one is
 * chosen does the next load.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendChoice, BackendReport } from '../protocol/results';
import { LrLabError } from '../protocol/errors';

export type Tf = typeof tfjs;

export interface LoadTfOptions {
  readonly backend: BackendChoice;
  /** The user's workspace: its `node_modules` may hold its own tfjs-node. */
  readonly workspaceDir?: string | undefined;
  /** Folder holding the tfjs-backend-wasm `.wasm` files (defaults: next to this bundle, then the package). */
  readonly wasmDir?: string | undefined;
}

export interface LoadedTf {
  readonly tf: Tf;
  readonly report: BackendReport;
}

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';
const NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** tfjs prints its own advice (and failed-init noise) to the console; keep it out of stdout. */
async function quietly<T>(work: () => Promise<T>): Promise<{ value: T; noise: string[] }> {
  const noise: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  const capture = (...args: unknown[]): void => {
    noise.push(args.map(String).join(' '));
  };
  console.log = capture;
  console.warn = capture;
  console.error = capture;
  console.info = capture;
  try {
    return { value: await work(), noise };
  } finally {
    Object.assign(console, saved);
  }
}

function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

/** The workspace's own tfjs-node, resolved from the workspace folder upwards. */
function resolveWorkspaceNode(workspaceDir: string | undefined): { name: string; file: string } | null {
  if (workspaceDir === undefined) return null;
  const requireFromWorkspace = createRequire(path.join(path.resolve(workspaceDir), 'package.json'));
  for (const name of NODE_PACKAGES) {
    try {
      return { name, file: requireFromWorkspace.resolve(name) };
    } catch {
      // not installed there
    }
  }
  return null;
}

function loadNodeBackend(file: string, name: string, source: 'workspace' | 'extension', requested: BackendChoice): LoadedTf {
  const tf = require(file) as Tf;
  const version = tf.version.tfjs;
  if (majorOf(version) !== 4) {
    throw new LrLabError('backend', `${name} ${version} in your workspace is not tfjs 4.x; LR Lab needs tfjs 4.`, {
      fix: `Upgrade it (npm install ${name}@4) or run with --backend wasm.`,
      file,
    });
  }
  return { tf, report: { name: 'tensorflow', requested, source, tfjsVersion: version, threads: 0, note: null } };
}

function wasmDirectory(explicit: string | undefined): string {
  if (explicit !== undefined) return explicit;
  // In the bundle, esbuild.mjs copies the .wasm files next to dist/engine.js.
  if (existsSync(path.join(__dirname, WASM_FILE))) return __dirname;
  return path.dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILE}`));
}

async function loadWasm(requested: BackendChoice, wasmDir: string | undefined): Promise<LoadedTf> {
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof tfjsWasm;
  const dir = wasmDirectory(wasmDir);
  const file = path.join(dir, WASM_FILE);
  if (!existsSync(file)) {
    throw new LrLabError('backend', `The WebAssembly backend's ${WASM_FILE} is missing from ${dir}.`, {
      fix: 'Reinstall LR Lab (the .wasm files ship next to dist/engine.js), or run with --backend cpu.',
      file,
    });
  }
  wasm.setWasmPaths(`${dir}${path.sep}`);
  // setBackend returns false (it does not throw) when the .wasm cannot be loaded.
  const { value: ok, noise } = await quietly(() => tf.setBackend('wasm'));
  if (!ok) {
    const why = noise.find((line) => /ENOENT|Aborted|failed/i.test(line)) ?? 'initialization failed';
    throw new LrLabError('backend', `The WebAssembly backend did not start: ${why.split('\n')[0] ?? why}`, {
      fix: 'Run with --backend cpu, or install @tensorflow/tfjs-node.',
      file,
    });
  }
  return { tf, report: { name: 'wasm', requested, source: 'bundled', tfjsVersion: tf.version.tfjs, threads: wasm.getThreadsCount(), note: null } };
}

async function loadCpu(requested: BackendChoice, note: string | null): Promise<LoadedTf> {
  const tf = require('@tensorflow/tfjs') as Tf;
  const { value: ok } = await quietly(() => tf.setBackend('cpu'));
  if (!ok) throw new LrLabError('backend', 'The cpu backend of tfjs did not start.', { fix: 'Reinstall LR Lab.' });
  return { tf, report: { name: 'cpu', requested, source: 'bundled', tfjsVersion: tf.version.tfjs, threads: 1, note } };
}

/** LR Lab's own optional tfjs-node; a failed native load is a reason, not an error, in `auto`. */
function extensionNode(requested: BackendChoice): { loaded: LoadedTf | null; reason: string } {
  let file: string;
  try {
    file = require.resolve('@tensorflow/tfjs-node');
  } catch {
    return { loaded: null, reason: '@tensorflow/tfjs-node is not installed' };
  }
  const binding = path.join(path.dirname(file), '..', 'lib');
  try {
    return { loaded: loadNodeBackend(file, '@tensorflow/tfjs-node', 'extension', requested), reason: '' };
  } catch (error) {
    const hint = existsSync(binding) ? '' : ' (its install script never ran: `npm rebuild @tensorflow/tfjs-node`)';
    return { loaded: null, reason: `@tensorflow/tfjs-node failed to load: ${firstLine(error)}${hint}` };
  }
}

export async function loadTf(options: LoadTfOptions): Promise<LoadedTf> {
  const requested = options.backend;
  switch (requested) {
    case 'tensorflow': {
      const workspace = resolveWorkspaceNode(options.workspaceDir);
      if (workspace !== null) return loadNodeBackend(workspace.file, workspace.name, 'workspace', requested);
      const own = extensionNode(requested);
      if (own.loaded !== null) return own.loaded;
      throw new LrLabError('backend', `--backend tensorflow needs @tensorflow/tfjs-node: ${own.reason}.`, {
        fix: 'Install it in your workspace (npm install @tensorflow/tfjs-node), or use --backend wasm.',
        option: 'backend',
      });
    }
    case 'wasm':
      return loadWasm(requested, options.wasmDir);
    case 'cpu':
      return loadCpu(requested, 'cpu backend chosen with --backend cpu: expect it to be 5–50x slower than wasm.');
    case 'auto': {
      const reasons: string[] = [];
      const workspace = resolveWorkspaceNode(options.workspaceDir);
      if (workspace !== null) {
        try {
          return loadNodeBackend(workspace.file, workspace.name, 'workspace', requested);
        } catch (error) {
          if (error instanceof LrLabError && error.message.includes('not tfjs 4.x')) throw error;
          reasons.push(`your workspace's ${workspace.name} failed to load: ${firstLine(error)}`);
        }
      }
      const own = extensionNode(requested);
      if (own.loaded !== null) return own.loaded;
      reasons.push(own.reason);
      try {
        const loaded = await loadWasm(requested, options.wasmDir);
        return { tf: loaded.tf, report: { ...loaded.report, note: null } };
      } catch (error) {
        reasons.push(`wasm backend failed: ${firstLine(error)}`);
      }
      return loadCpu(requested, `Using the slow pure-JS cpu backend because ${reasons.join('; ')}. Install @tensorflow/tfjs-node for speed.`);
    }
    default: {
      const never: never = requested;
      throw new LrLabError('bad-option', `--backend must be auto, tensorflow, wasm or cpu, got '${String(never)}'.`, { option: 'backend' });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Saving and loading model.json without tfjs-node (which is what brings the file:// handler).

interface WeightsManifestGroup {
  paths: string[];
  weights: tfjs.io.WeightsManifestEntry[];
}

/** A small filesystem IOHandler: model.json + weight shards for load; model.json + weights.bin for save. */
export function fileSystemIO(tf: Tf, modelJsonPath: string): tfjs.io.IOHandler {
  const dir = path.dirname(modelJsonPath);
  return {
    async load(): Promise<tfjs.io.ModelArtifacts> {
      let json: { modelTopology?: unknown; weightsManifest?: WeightsManifestGroup[]; format?: string; generatedBy?: string; convertedBy?: string | null; trainingConfig?: unknown; userDefinedMetadata?: Record<string, unknown> };
      try {
        json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as typeof json;
      } catch (error) {
        throw new LrLabError('model-file', `Cannot read ${modelJsonPath}: ${firstLine(error)}.`, { file: modelJsonPath, fix: 'Give a tfjs Layers model.json (from model.save or tfjs-converter).' });
      }
      if (json.modelTopology === undefined) {
        throw new LrLabError('model-file', `${path.basename(modelJsonPath)} has no modelTopology: it is not a tfjs Layers model.json.`, { file: modelJsonPath, fix: 'Save the model with model.save(...) in tfjs, or convert it with tensorflowjs_converter.' });
      }
      const artifacts: tfjs.io.ModelArtifacts = { modelTopology: json.modelTopology as object };
      if (json.format !== undefined) artifacts.format = json.format;
      if (json.generatedBy !== undefined) artifacts.generatedBy = json.generatedBy;
      if (json.trainingConfig !== undefined) artifacts.trainingConfig = json.trainingConfig as tfjs.io.TrainingConfig;
      if (json.weightsManifest !== undefined && json.weightsManifest.length > 0) {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: Buffer[] = [];
        for (const group of json.weightsManifest) {
          specs.push(...group.weights);
          for (const shard of group.paths) {
            const file = path.resolve(dir, shard);
            if (!existsSync(file)) {
              throw new LrLabError('model-file', `${path.basename(modelJsonPath)} lists the weights file ${shard}, which is missing from ${dir}.`, { file: modelJsonPath, fix: 'Copy the weight files next to model.json, or remove weightsManifest to start from fresh weights.' });
            }
            buffers.push(readFileSync(file));
          }
        }
        const all = Buffer.concat(buffers);
        artifacts.weightSpecs = specs;
        artifacts.weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      }
      return artifacts;
    },
    async save(artifacts: tfjs.io.ModelArtifacts): Promise<tfjs.io.SaveResult> {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(dir, { recursive: true });
      const weightsName = 'weights.bin';
      const manifest = artifacts.weightSpecs === undefined ? [] : [{ paths: [weightsName], weights: artifacts.weightSpecs }];
      const json: Record<string, unknown> = { modelTopology: artifacts.modelTopology, weightsManifest: manifest, format: artifacts.format ?? 'layers-model', generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null };
      if (artifacts.trainingConfig !== undefined) json['trainingConfig'] = artifacts.trainingConfig;
      if (artifacts.weightData !== undefined) {
        const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
        writeFileSync(path.join(dir, weightsName), Buffer.from(data));
      }
      writeFileSync(modelJsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
