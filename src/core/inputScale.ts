/**
 * Inputs far from scale 1: a feature in the tens of thousands (a price, a year, a raw sensor count) or
 * pixels left at 0–255 makes the first layer's outputs, its gradients and every activation after it
 * that much larger. Every experiment then reads the scale rather than the task: an LR that suits the
 * large features is far too low for the rest, one that suits the rest blows them up, and a sigmoid or
 * softmax output starts saturated whatever its bias. In a user trial a binary classifier with one
 * feature at ~1e4 stayed at 50% at every LR (93.8% once standardized), and LR Lab's only note was to
 * start the output bias at the labels' log-odds, −0.026 — which changed nothing.
 *
 * Measured per feature along the inputs' last axis (a dense layer's features, a sequence's features
 * at every step, an image's channels), as the root mean square over the first training rows.
 */
import { formatNumber } from '../protocol/format';

/** A feature whose root mean square is above this is far from scale 1 (pixels at 0–255: ~80–120). */
export const INPUT_SCALE_HIGH = 50;
/**
 * …or below this while not all zero (inputs in units a thousand times too large), measured over the
 * feature's non-zero values: a feature that is mostly zero is rare, not small — an autoencoder's
 * near-empty border pixels (root mean square 2.5e-4 over all rows, their few non-zero values at
 * 1/255 and up) read "far below scale 1: standardize them", which would make each non-zero value a
 * 16σ outlier.
 */
export const INPUT_SCALE_LOW = 1e-3;

export interface FeatureScale {
  /** 0-based, along the inputs' last axis. */
  readonly index: number;
  readonly rms: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export interface OffScaleInputs {
  /** Features along the last axis. */
  readonly features: number;
  /** The training samples those rows came from (a sequence's steps or an image's pixels are rows of one sample). */
  readonly samples: number;
  /** The features above INPUT_SCALE_HIGH, largest first. */
  readonly high: readonly FeatureScale[];
  /** The features whose non-zero values are below INPUT_SCALE_LOW (and not all zero), smallest first. */
  readonly low: readonly FeatureScale[];
}

/**
 * `values`: `rows` × `width` numbers, row-major (the inputs reshaped to [-1, last axis]); `samples`:
 * the training samples they came from. `null` where every feature is within scale (or all zero).
 */
export function offScaleInputs(values: ArrayLike<number>, rows: number, width: number, samples: number): OffScaleInputs | null {
  if (!(rows > 0) || !(width > 0) || values.length < rows * width) return null;
  const high: FeatureScale[] = [];
  const low: FeatureScale[] = [];
  for (let f = 0; f < width; f++) {
    let sum = 0;
    let squares = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let finite = 0;
    let nonZero = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * width + f]!;
      if (!Number.isFinite(v)) continue;
      finite++;
      if (v !== 0) nonZero++;
      sum += v;
      squares += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (finite === 0) continue;
    const mean = sum / finite;
    const rms = Math.sqrt(squares / finite);
    const std = Math.sqrt(Math.max(0, squares / finite - mean * mean));
    const scale = { index: f, rms, mean, std, min, max };
    if (rms > INPUT_SCALE_HIGH) high.push(scale);
    else if (nonZero > 0 && Math.sqrt(squares / nonZero) < INPUT_SCALE_LOW) low.push(scale);
  }
  if (high.length === 0 && low.length === 0) return null;
  high.sort((a, b) => b.rms - a.rms);
  low.sort((a, b) => a.rms - b.rms);
  return { features: width, samples, high, low };
}

const num = (x: number): string => formatNumber(Number(x.toPrecision(2)));

/** One feature's numbers: "root mean square 1.1e4: mean 1e4, standard deviation 5.1e3". */
function stats(f: FeatureScale): string {
  return `root mean square ${num(f.rms)}: mean ${num(f.mean)}, standard deviation ${num(f.std)}`;
}

/**
 * The warning: which features, what it does to every run, and what to change. `names`: the features'
 * names where the data has them (a CSV's columns), in input order.
 */
export function describeOffScaleInputs(o: OffScaleInputs, names: readonly string[] | null = null): string {
  const of = ` of ${o.features}`;
  const named = names !== null && names.length === o.features;
  const feature = (f: FeatureScale): string => (named ? `'${names[f.index]!}'` : `feature ${f.index + 1}`);
  const side = (fs: readonly FeatureScale[], where: string): string => {
    if (o.features === 1) return `the input${named ? ` ${feature(fs[0]!)}` : ''} is far ${where} scale 1 (${stats(fs[0]!)})`;
    if (fs.length === 1) return `input ${feature(fs[0]!)}${of} is far ${where} scale 1 (${stats(fs[0]!)})`;
    const shown = fs.slice(0, 3).map((f) => `${feature(f)} (${stats(f)})`).join(', ');
    return `${fs.length === o.features ? `all ${o.features}` : `${fs.length}${of}`} input features are far ${where} scale 1: ${fs.length > 3 ? `${shown} and ${fs.length - 3} more` : shown}`;
  };
  const parts = [...(o.high.length > 0 ? [side(o.high, 'above')] : []), ...(o.low.length > 0 ? [side(o.low, 'below')] : [])].join('; ');
  const what = `${parts.charAt(0).toUpperCase()}${parts.slice(1)}, on the first ${o.samples === 1 ? 'training sample' : `${o.samples} training samples`}.`;
  const all = o.high.length + o.low.length === o.features;
  const how = o.high.length > 0 ? 'activations saturate or blow up' : 'those features barely move the first layer until its weights grow as much';
  const effect = ` A layer's outputs and gradients scale with its inputs: ${how}, ${all ? 'the LRs that train the model are far from those at scale 1' : 'an LR that suits those features is far off for the others'}, and the range test, the short runs and the verdicts read that rather than the task.`;
  // Pixels as stored: every feature from 0 to at most 255, on images or flattened.
  const pixels = o.high.length > 0 && o.low.length === 0 && o.high.every((f) => f.min >= 0 && f.max <= 255) && o.high[0]!.max > 100;
  const fix = pixels
    ? ' Scale them to 0–1 (divide by 255, as image inputs usually are), or standardize them.'
    : ' Standardize the inputs: each feature minus its training mean, divided by its training standard deviation (the same numbers on the validation data and at prediction).';
  return `${what}${effect}${fix}`;
}
