/**
 * The optimizer's fused SGD/Nesterov update on wasm (src/engine/wasmKernels/optimizerUpdate.ts, gemm.c's
 * sgd_update): it runs (one kernel per parameter, none of tfjs's arithmetic), and gives the same
 * weights and velocities to the bit as the optimizer's tfjs ops — with the LR and momentum changed
 * every step, weight decay on a kernel and not on a bias, sizes with and without a SIMD tail —
 * and the tensor count stays flat.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { EngineOptimizer } from '../../src/engine/optimizer';
import { type Tf, loadTf } from '../../src/engine/tfjs';
import { ADAM_UPDATE_KERNEL, SGD_UPDATE_KERNEL } from '../../src/engine/wasmKernels/optimizerUpdate';
import { signed } from './numeric';

let tf: Tf;

before(async () => {
  tf = (await loadTf({ backend: 'wasm' })).tf;
});

/** 12 steps on a kernel (decayed) and a bias (not); returns the final weights, and the kernels the last step ran. */
type Fused = 'sgd' | 'nesterov' | 'adam' | 'adamw';

async function train(name: Fused, sizes: readonly number[], plain: boolean): Promise<{ weights: Float32Array[]; kernels: string[] }> {
  const vars: Variable[] = sizes.map((n, i) => tf.variable(tf.tensor1d(signed(n, 10 + i))));
  const opt = new EngineOptimizer(tf, vars.map((variable, i) => ({ variable, decay: i === 0 })), name, { lr: 0.05, momentum: plain ? 0 : 0.9, weightDecay: plain ? 0 : 1e-2 });
  const gradsAt = (step: number): Tensor[] => vars.map((v, i) => tf.tidy(() => tf.add(tf.mul(v, 0.3 + 0.1 * i), tf.tensor1d(signed(v.size, 100 + step)))));
  const before = tf.memory().numTensors;
  let kernels: string[] = [];
  for (let step = 0; step < 12; step++) {
    opt.setLr(0.05 * (1 + 0.1 * step));
    if (!plain) opt.setMomentum(0.95 - 0.01 * step);
    const grads = gradsAt(step);
    if (step === 11) kernels = (await tf.profile(() => opt.step(grads))).kernels.map((k) => k.name);
    else opt.step(grads);
    tf.dispose(grads);
    if (step === 0) assert.equal(tf.memory().numTensors, before, 'no tensor growth');
  }
  assert.equal(tf.memory().numTensors, before, 'no tensor growth');
  const weights = vars.map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose(vars);
  return { weights, kernels };
}

for (const [name, plain] of [['sgd', false], ['nesterov', false], ['adam', false], ['adamw', false], ['sgd', true], ['adam', true]] as const) {
  test(`${name}${plain ? ' (momentum/beta1 0, no weight decay)' : ''}: one fused kernel per parameter, bit-identical to the optimizer's tfjs ops`, async () => {
    assert.equal(tf.getBackend(), 'wasm');
    const kernel = name === 'sgd' || name === 'nesterov' ? SGD_UPDATE_KERNEL : ADAM_UPDATE_KERNEL;
    const config = tf.getKernel(kernel, 'wasm');
    assert.ok(config !== undefined, 'the fused update is registered where the FMA module runs');
    const sizes = [1030, 7];
    const fused = await train(name, sizes, plain);
    assert.deepEqual(fused.kernels, sizes.map(() => kernel), `kernels of one step: ${fused.kernels.join(', ')}`);
    tf.unregisterKernel(kernel, 'wasm');
    let ops: Awaited<ReturnType<typeof train>>;
    try {
      ops = await train(name, sizes, plain);
    } finally {
      tf.registerKernel(config);
    }
    assert.ok(ops.kernels.includes('Multiply') && !ops.kernels.includes(kernel), 'without the kernel the tfjs ops run');
    for (let i = 0; i < sizes.length; i++) {
      const moved = ops.weights[i]!.some((w, j) => Math.abs(w - signed(sizes[i]!, 10 + i)[j]!) > 1e-3);
      assert.ok(moved, 'the weights moved');
      assert.deepEqual(Array.from(fused.weights[i]!), Array.from(ops.weights[i]!), `parameter ${i} (${sizes[i]} values)`);
    }
  });
}
