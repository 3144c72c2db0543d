/**
 * model.json + weights on disk without tfjs-node (which is what brings tfjs's `file://` handler):
 * a filesystem `tf.io.IOHandler`, and the `file://` routers for user code on the bundled tfjs.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import { formatBytes } from '../protocol/format';
import { firstLine } from './errorMapping';
import type { Tf } from './tfjs';
import { weightsFileOf } from './safePaths';
import { modelArtifactsFiles } from './modelSave';
import { ownValue } from '../protocol/own';

const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes the manifest says its shards hold; `null` when it cannot tell (strings have no fixed size). */
function expectedWeightBytes(specs: readonly tfjs.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const bytes = ownValue(DTYPE_BYTES, spec.quantization?.dtype ?? spec.dtype);
    if (bytes === undefined) return null;
    total += spec.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

function modelFileError(file: string, message: string, fix: string): LrLabError {
  return new LrLabError('model-file', message, { file, fix });
}

/** A path ending in `.json` is the model.json itself; anything else is the folder that holds `model.json`. */
function modelJsonOf(target: string): string {
  const resolved = path.resolve(target);
  if (resolved.toLowerCase().endsWith('.json')) return resolved;
  return path.join(resolved, 'model.json');
}

/**
 * A filesystem `tf.io.IOHandler`: `load` reads model.json and the weight shards its
 * `weightsManifest` names (relative to model.json, kept inside its folder). Load only: `--save`
 * writes through modelSave.ts and outputs.ts (temp file, then rename).
 */
/** A Layers model.json holds the topology and the weights' manifest, not the weights: kilobytes to a few megabytes. */
export const MAX_MODEL_JSON_BYTES = 256 * 1024 * 1024;

/**
 * The model files this thread loaded (model.json and its weight shards, absolute): a script's or model
 * file's `tf.loadLayersModel('file://…')` too, which `--save` must not overwrite (a user's `train --save
 * … --force` replaced the pretrained weights their script loads, "never the input model" notwithstanding).
 */
const loadedFiles = new Set<string>();

export function modelFilesLoaded(): string[] {
  return [...loadedFiles];
}

export function fileSystemIO(tf: Tf, modelJsonPath: string): tfjs.io.IOHandler {
  const jsonFile = modelJsonOf(modelJsonPath);
  const dir = path.dirname(jsonFile);
  const name = path.basename(jsonFile);
  return {
    async load(): Promise<tfjs.io.ModelArtifacts> {
      loadedFiles.add(jsonFile);
      let text: string;
      try {
        const stat = statSync(jsonFile);
        if (stat.isDirectory()) throw new Error('it is a folder');
        // A device or FIFO has no size to check (/dev/zero grew the engine past 16 GB; a FIFO blocked the read, Ctrl-C unheard).
        if (!stat.isFile()) throw new Error('it is not a regular file (a device, FIFO or socket)');
        // Sized before it is read: a 2 GB file took 16 s and 2.2 GB, then V8's "Cannot create a string longer than …".
        if (stat.size > MAX_MODEL_JSON_BYTES) throw new Error(`it is ${formatBytes(stat.size)}, far larger than a model.json (its topology and weights manifest; the weights are separate files)`);
        text = readFileSync(jsonFile, 'utf8');
      } catch (error) {
        throw modelFileError(jsonFile, `Cannot read ${jsonFile}: ${firstLine(error)}.`, 'Give the path of a tfjs Layers model.json (written by model.save or tensorflowjs_converter).');
      }
      let json: tfjs.io.ModelJSON;
      try {
        json = JSON.parse(text) as tfjs.io.ModelJSON;
      } catch (error) {
        throw modelFileError(jsonFile, `${name} is not valid JSON (${firstLine(error)}).`, 'Restore the file: it is damaged or not a model.json.');
      }
      if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
        throw modelFileError(jsonFile, `${name} has no modelTopology: it is not a tfjs Layers model.json.`, 'Save the model with model.save(...) in tfjs, or convert it with tensorflowjs_converter --output_format tfjs_layers_model.');
      }
      // Its manifest's shape before tfjs walks it (a number there read "manifest is not iterable").
      const manifestOk = json.weightsManifest === undefined || (Array.isArray(json.weightsManifest) && json.weightsManifest.every((g: unknown) => {
        const group = g as { paths?: unknown; weights?: unknown } | null;
        return typeof group === 'object' && group !== null && Array.isArray(group.paths) && group.paths.every((p) => typeof p === 'string') && Array.isArray(group.weights) && group.weights.every((w) => typeof w === 'object' && w !== null);
      }));
      if (!manifestOk) {
        throw modelFileError(jsonFile, `${name}'s weightsManifest is not a list of { paths, weights } groups: it is not a tfjs Layers model.json, or it is damaged.`, `Save the model again, or delete weightsManifest from ${name} to start from fresh initial weights.`);
      }
      // An empty manifest holds no weights, as a missing one: fresh initial weights (README: weights are
      // optional). tfjs took `[]` as weights given and refused "4 of 4 weights are not set".
      const weightless = Array.isArray(json.weightsManifest) && json.weightsManifest.length === 0;
      const { weightsManifest: _none, ...withoutWeights } = json;
      return tf.io.getModelArtifactsForJSON(weightless ? (withoutWeights as tfjs.io.ModelJSON) : json, async (manifest) => {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: Buffer[] = [];
        const files: string[] = [];
        const shards: string[] = [];
        let size = 0;
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const shard of group.paths) {
            const file = weightsFileOf(jsonFile, shard); // kept inside the model's folder (#16.3)
            if (!existsSync(file)) {
              throw modelFileError(jsonFile, `${name} lists the weights file ${shard}, which is missing from ${dir}.`, `Copy ${shard} next to ${name}, or delete weightsManifest from ${name} to start from fresh initial weights.`);
            }
            const stat = statSync(file);
            if (!stat.isFile()) throw modelFileError(jsonFile, `${name} lists the weights file ${shard}, which is not a regular file in ${dir}.`, `Replace ${shard} with the weights file saved beside ${name}.`);
            size += stat.size;
            loadedFiles.add(path.resolve(file));
            shards.push(file);
            files.push(shard);
          }
        }
        // Sizes before bytes: a 1.9 GB file where 524 bytes belong took 21 s and 4 GB to be refused.
        const expected = expectedWeightBytes(specs);
        const mismatch = (held: number): LrLabError => modelFileError(jsonFile, `The weights file${files.length === 1 ? '' : 's'} ${files.join(', ')} hold${files.length === 1 ? 's' : ''} ${held} bytes but ${name}'s weightsManifest describes ${expected}: truncated, or from another model.`, `Save the model again, or delete weightsManifest from ${name} to start from fresh initial weights.`);
        if (expected !== null && expected !== size) throw mismatch(size);
        for (const file of shards) buffers.push(readFileSync(file));
        const all = Buffer.concat(buffers);
        if (expected !== null && expected !== all.byteLength) throw mismatch(all.byteLength);
        const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
        return [specs, data];
      });
    },
  };
}


/**
 * What tfjs-node's `file://` save does, for user code on the bundled tfjs: model.json and
 * weights.bin in the folder (or beside the `.json` path) given, each written to a temp file and
 * renamed into place, so a failed save leaves the old files whole.
 */
function fileSystemSaveIO(tf: Tf, target: string): tfjs.io.IOHandler {
  const jsonFile = modelJsonOf(target);
  return {
    async save(artifacts: tfjs.io.ModelArtifacts): Promise<tfjs.io.SaveResult> {
      mkdirSync(path.dirname(jsonFile), { recursive: true });
      for (const [file, contents] of modelArtifactsFiles(tf, artifacts, jsonFile)) {
        const temp = `${file}.${process.pid}.tmp`;
        try {
          writeFileSync(temp, contents);
          renameSync(temp, file);
        } catch (error) {
          rmSync(temp, { force: true });
          throw modelFileError(file, `Cannot save the model to ${file}: ${firstLine(error)}.`, 'Check that the folder exists and is writable, and that the disk has room.');
        }
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

const fileRoutersRegistered = new WeakSet<object>();

/** tfjs-node brings `file://` save/load; the bundled tfjs does not, so user code calling `model.save('file://…')` gets ours. */
export function registerFileRouters(tf: Tf): void {
  if (fileRoutersRegistered.has(tf.io)) return;
  fileRoutersRegistered.add(tf.io);
  // tfjs routers answer null for URLs they do not handle; its IORouter type leaves that out.
  const route = (io: (tf: Tf, target: string) => tfjs.io.IOHandler) =>
    ((url: string | string[]): tfjs.io.IOHandler | null => (typeof url === 'string' && url.startsWith('file://') ? io(tf, url.slice('file://'.length)) : null)) as Parameters<typeof tf.io.registerLoadRouter>[0];
  tf.io.registerLoadRouter(route(fileSystemIO));
  tf.io.registerSaveRouter(route(fileSystemSaveIO));
}
