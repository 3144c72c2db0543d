/**
 * A trained model as the files tfjs's `model.save` describes: `model.json` and one `weights.bin`
 * beside it. Building the contents is separate from writing them, so `--save` can write them
 * atomically through `outputs.ts`, and a user's own `model.save('file://…')` the same way tfjs-node does.
 */
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { LrLabError } from '../protocol/errors';
import type { Tf } from './tfjs';

export const WEIGHTS_FILE = 'weights.bin';

/** model.json (at `jsonFile`) and weights.bin beside it, as file → contents. */
export function modelArtifactsFiles(tf: Tf, artifacts: tfjs.io.ModelArtifacts, jsonFile: string): Map<string, string | Uint8Array> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new LrLabError('internal', 'Saving a binary (GraphDef) topology to model.json is not supported.', { file: jsonFile });
  }
  const json: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: artifacts.weightSpecs === undefined ? [] : [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
  };
  for (const key of ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const) {
    if (artifacts[key] !== undefined) json[key] = artifacts[key];
  }
  const files = new Map<string, string | Uint8Array>();
  if (artifacts.weightData !== undefined) files.set(path.join(path.dirname(jsonFile), WEIGHTS_FILE), new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
  files.set(jsonFile, JSON.stringify(json));
  return files;
}

/** Whether tfjs can load `config` back: `loadTrainingConfig` on a throwaway model (a custom metric's name, "f1", fails there: "Unknown metric f1"). */
function loadsBack(tf: Tf, config: tfjs.io.TrainingConfig): boolean {
  const probe = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  try {
    probe.loadTrainingConfig(config as Parameters<typeof probe.loadTrainingConfig>[0]);
    return true;
  } catch {
    return false;
  } finally {
    (probe.optimizer as tfjs.Optimizer | undefined)?.dispose();
    probe.dispose();
  }
}

/** A loss as tfjs can name it in `trainingConfig`: a name, or names per output (one for each). */
function nameable(loss: unknown): boolean {
  if (typeof loss === 'string') return true;
  const values = Array.isArray(loss) ? (loss as unknown[]) : typeof loss === 'object' && loss !== null ? Object.values(loss) : [];
  return values.length > 0 && values.every((v) => typeof v === 'string');
}

/**
 * A compiled model's loss, metrics and optimizer as model.json's `trainingConfig` (what tfjs writes
 * with `includeOptimizer`, without the optimizer's slot weights), as far as tfjs loads it back: its
 * custom metrics left out, and none where the loss (a function tfjs cannot name: "Serialization of
 * non-string loss") or the optimizer (a class tfjs does not know) would not load. Null for a model not compiled.
 */
function trainingConfigOf(tf: Tf, model: tfjs.LayersModel): tfjs.io.TrainingConfig | null {
  const compiled = (model as { optimizer?: unknown }).optimizer;
  if (compiled === undefined || compiled === null) return null;
  let config: tfjs.io.TrainingConfig;
  try {
    config = (model as unknown as { getTrainingConfig(): tfjs.io.TrainingConfig }).getTrainingConfig();
  } catch {
    return null;
  }
  // A loss function serializes as {} (tfjs names only string losses, and no error for a lone function):
  // loaded back, tfjs warned "Output … is missing from loss dictionary" and trained with no loss.
  if (!nameable(config.loss)) return null;
  if (loadsBack(tf, config)) return config;
  const withoutMetrics = { ...config, metrics: [] };
  return loadsBack(tf, withoutMetrics) ? withoutMetrics : null;
}

/**
 * The files of a model's current state, without writing anything. A compiled model's files carry
 * its loss and optimizer (`trainingConfig`), as a model.json LR Lab reads again should: without it,
 * `lrlab find-lr saved/model.json` inferred a loss (MSE for a model compiled with MAE).
 */
export async function modelFiles(tf: Tf, model: tfjs.LayersModel, jsonFile: string, classes: readonly string[] | null = null): Promise<Map<string, string | Uint8Array>> {
  let files: Map<string, string | Uint8Array> | null = null;
  const trainingConfig = trainingConfigOf(tf, model);
  await model.save(tf.io.withSaveHandler(async (saved) => {
    // A CSV's class names, in output-unit order: without them a model trained on names cannot be read.
    const artifacts = classes === null ? saved : { ...saved, userDefinedMetadata: { ...(saved.userDefinedMetadata ?? {}), lrlab: { classes: [...classes] } } };
    files = modelArtifactsFiles(tf, trainingConfig === null || artifacts.trainingConfig !== undefined ? artifacts : { ...artifacts, trainingConfig }, jsonFile);
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  if (files === null) throw new LrLabError('internal', 'tfjs returned no model artifacts to save.');
  return files;
}
