import { loadTf } from '../src/engine/tfjs';
async function main(): Promise<void> {
  const fma = Number(process.env['FMA'] ?? 1);
  const { tf } = await loadTf({ backend: 'wasm', threads: 1, fmaThreads: fma });
  const x = tf.randomUniform([128, 784]);
  const w = tf.randomUniform([784, 256]);
  const dy = tf.randomUniform([128, 256]);
  const jobs: Record<string, () => void> = {
    fwd: () => tf.matMul(x, w).dispose(),
    dW: () => tf.matMul(x, dy, true, false).dispose(),
  };
  for (let r = 0; r < 3; r++) for (const [name, job] of Object.entries(jobs)) {
    for (let i = 0; i < 300; i++) job();
    const t = performance.now();
    for (let i = 0; i < 300; i++) job();
    console.log(`FMA=${fma} ${name} ${((performance.now() - t) / 300).toFixed(3)} ms`);
  }
}
void main();
