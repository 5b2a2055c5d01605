/**
 * Multinomial logistic regression on sparse vectors, trained by stochastic gradient descent
 * with L2 regularisation. Weights are stored feature-major (one row of class weights per
 * feature) so a sparse example touches contiguous memory; the L2 shrinkage is a single
 * scale factor, so a step costs only the example's non-zero features.
 */
import { linearScores, type LinearModel } from './linear-model.js';
import { createRandom, shuffleInPlace } from './random.js';
import type { SparseVector } from './sparse-vector.js';

export interface SoftmaxRegressionOptions {
  /** L2 penalty per example (lambda). Default 1e-5. */
  l2?: number;
  /** Passes over the data. Default 5. */
  epochs?: number;
  /** Initial step size; it decays linearly to a tenth over the run. Default 2. */
  learningRate?: number;
  /** Weight of each class's examples in the loss (for imbalanced data). Default all 1. */
  classWeights?: Float64Array;
  seed?: number;
}

/**
 * Gradient entries smaller than this are skipped: after the first pass most classes have
 * a near-zero probability for a given example, and skipping them makes the backward step
 * several times cheaper without changing the accuracy we measure.
 */
const GRADIENT_FLOOR = 1e-3;

export function trainSoftmaxRegression(
  vectors: SparseVector[],
  targets: Int32Array,
  classes: number,
  dimension: number,
  options: SoftmaxRegressionOptions = {},
): LinearModel {
  const l2 = options.l2 ?? 1e-5;
  const epochs = options.epochs ?? 5;
  const learningRate = options.learningRate ?? 2;
  const classWeights = options.classWeights;
  const random = createRandom(options.seed ?? 1);
  const weights = new Float32Array(dimension * classes);
  const bias = new Float64Array(classes);
  const model: LinearModel = { classes, weights, bias };
  let scale = 1;
  const scores = new Float64Array(classes);
  const active = new Int32Array(classes);
  const gradient = new Float64Array(classes);
  const order = Int32Array.from(vectors.keys());
  const totalSteps = Math.max(1, epochs * vectors.length);
  let stepCount = 0;

  /** One SGD step on one example: softmax over all classes, sparse weight update. */
  function step(example: number, rate: number): void {
    const vector = vectors[example]!;
    linearScores(model, vector, scores, scale);
    softmaxInPlace(scores);
    const target = targets[example]!;
    const exampleWeight = classWeights ? classWeights[target]! : 1;
    let activeCount = 0;
    for (let c = 0; c < classes; c++) {
      const g = (scores[c]! - (c === target ? 1 : 0)) * exampleWeight;
      gradient[c] = g;
      if (g > GRADIENT_FLOOR || g < -GRADIENT_FLOOR) active[activeCount++] = c;
    }
    scale *= 1 - rate * l2;
    const { indices, values } = vector;
    const dense = activeCount * 3 > classes;
    for (let j = 0; j < indices.length; j++) {
      const row = indices[j]! * classes;
      const size = (rate * values[j]!) / scale;
      if (dense) {
        subtractScaled(weights, row, gradient, size, classes);
      } else {
        for (let a = 0; a < activeCount; a++) {
          const c = active[a]!;
          weights[row + c] = weights[row + c]! - size * gradient[c]!;
        }
      }
    }
    for (let a = 0; a < activeCount; a++) {
      const c = active[a]!;
      bias[c] = bias[c]! - rate * gradient[c]!;
    }
  }

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const example of order) {
      const rate = learningRate * (1 - (0.9 * stepCount++) / totalSteps);
      step(example, rate);
      if (scale < 1e-6) {
        for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
        scale = 1;
      }
    }
  }
  for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;

  return model;
}

function subtractScaled(
  weights: Float32Array,
  row: number,
  gradient: Float64Array,
  size: number,
  classes: number,
): void {
  const unrolled = classes - (classes % 4);
  let c = 0;
  for (; c < unrolled; c += 4) {
    weights[row + c] = weights[row + c]! - size * gradient[c]!;
    weights[row + c + 1] = weights[row + c + 1]! - size * gradient[c + 1]!;
    weights[row + c + 2] = weights[row + c + 2]! - size * gradient[c + 2]!;
    weights[row + c + 3] = weights[row + c + 3]! - size * gradient[c + 3]!;
  }
  for (; c < classes; c++) weights[row + c] = weights[row + c]! - size * gradient[c]!;
}

/** Softmax in place (numerically stable), optionally at a temperature. */
export function softmaxInPlace(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) if (scores[c]! > max) max = scores[c]!;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c]! - max) / temperature);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = scores[c]! / sum;
  return scores;
}
