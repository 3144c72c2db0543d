/**
 * Which parts of a model train, as a copy must have them. A model's config holds each layer's own
 * `trainable`, but not a nested model's (`base.trainable = false` on a model used as a layer, the
 * usual transfer-learning set-up) nor the whole model's, and tfjs orders `getWeights()` trainable
 * weights first: a copy rebuilt from the config trained the frozen base, and its `setWeights` with
 * the original's weights failed ("Layer weight shape 4,8 not compatible with provided weight shape
 * 8,3"). `trainableState` reads the flags of every layer (nested models and the model included) and
 * of every weight; `applyTrainableState` sets them on a copy of the same architecture, whose
 * `trainableWeights` are then the original's. Plain data: it crosses from a training script's
 * worker with the weights.
 *
 * Weights cross in `modelWeights`'s order, layer by layer and by name, whatever trains: tfjs's own
 * `setWeights` cannot take back what `getWeights` gave for a model with a frozen nested model
 * (it walks the layers in another order, and fails with the error above on the model itself).
 */
import type * as tfjs from '@tensorflow/tfjs';

export interface TrainableState {
  /** Every layer's `trainable`, the model first, depth first (a nested model before its layers). */
  readonly layers: readonly boolean[];
  /** Every leaf layer's weights' `trainable`, in the order `layers` visits them, each layer's by weight name. */
  readonly weights: readonly boolean[];
}

interface Weight {
  readonly originalName: string;
  readonly shape: readonly number[];
  trainable: boolean;
  read(): tfjs.Tensor;
  write(value: tfjs.Tensor): unknown;
}

function childrenOf(layer: tfjs.layers.Layer): readonly tfjs.layers.Layer[] | null {
  const children = (layer as { layers?: unknown }).layers;
  return Array.isArray(children) ? (children as tfjs.layers.Layer[]) : null;
}

/** Every layer, the model first, depth first (a nested model before its layers), and every leaf layer's weights in that order. */
function partsOf(model: tfjs.LayersModel): { layers: tfjs.layers.Layer[]; weights: Weight[] } {
  const layers: tfjs.layers.Layer[] = [];
  const weights: Weight[] = [];
  const visit = (layer: tfjs.layers.Layer): void => {
    layers.push(layer);
    const children = childrenOf(layer);
    if (children === null) weights.push(...leafWeights(layer));
    else children.forEach(visit);
  };
  visit(model);
  return { layers, weights };
}

/** A leaf layer's weights in an order that does not depend on which of them train. */
function leafWeights(layer: tfjs.layers.Layer): Weight[] {
  return (layer.weights as unknown as Weight[]).slice().sort((a, b) => (a.originalName < b.originalName ? -1 : a.originalName > b.originalName ? 1 : 0));
}

export function trainableState(model: tfjs.LayersModel): TrainableState {
  const { layers, weights } = partsOf(model);
  return { layers: layers.map((l) => l.trainable), weights: weights.map((w) => w.trainable) };
}

/** Whether every layer and weight of `model` trains (nothing to mirror). */
export function allTrainable(state: TrainableState): boolean {
  return state.layers.every(Boolean) && state.weights.every(Boolean);
}

/**
 * Sets `state` (read from a model of the same architecture) on `model`. False where the two do not
 * have the same layers and weights (nothing is changed then).
 */
export function applyTrainableState(model: tfjs.LayersModel, state: TrainableState): boolean {
  const { layers, weights } = partsOf(model);
  if (layers.length !== state.layers.length || weights.length !== state.weights.length) return false;
  // Outside in: a model's `trainable` setter sets its layers' weights, which their own flags then correct.
  layers.forEach((layer, i) => {
    layer.trainable = state.layers[i]!;
  });
  weights.forEach((w, i) => {
    w.trainable = state.weights[i]!;
  });
  return true;
}

/** `model`'s weights' current values, leaf layer by leaf layer and by name within one — an order that does not depend on which train (the model's own tensors: clone them to keep them). */
export function modelWeights(model: tfjs.LayersModel): tfjs.Tensor[] {
  return partsOf(model).weights.map((w) => w.read());
}

/**
 * Writes `values` (another model's `modelWeights`, same architecture) into `model`'s weights. Throws
 * where the two do not match, naming the first weight that differs.
 */
export function setModelWeights(model: tfjs.LayersModel, values: readonly tfjs.Tensor[]): void {
  const { weights } = partsOf(model);
  if (weights.length !== values.length) throw new Error(`the copy has ${weights.length} weights, the model ${values.length}`);
  weights.forEach((w, i) => {
    const value = values[i]!;
    if (w.shape.length !== value.shape.length || w.shape.some((d, j) => d !== value.shape[j])) throw new Error(`weight ${w.originalName} has shape [${w.shape.join(', ')}] in the copy, [${value.shape.join(', ')}] in the model`);
  });
  weights.forEach((w, i) => w.write(values[i]!));
}
