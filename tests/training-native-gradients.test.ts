// The native TensorFlow backend (@tensorflow/tfjs-node or -gpu, optional: its install
// downloads libtensorflow) must be picked by 'auto' and train like the reference cpu
// backend. Skipped, saying so, where no native package is installed (as on offline CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../src/training/backend.js';
import { assertGradientsMatch, generatorGradients } from './helpers/generator-gradients.js';
import { nativeBackendMissing } from './helpers/native-backend.js';

const missing = await nativeBackendMissing();

test('native TensorFlow: auto picks it, and its generator gradients equal the cpu backend', { skip: missing ?? false }, async () => {
  assert.equal(await initBackend('auto'), 'tensorflow');
  const native = await generatorGradients(16);
  await initBackend('cpu');
  const cpu = await generatorGradients(16);
  const { worst, checked } = assertGradientsMatch(native, cpu, 1e-4);
  console.log(`native vs cpu: ${checked} gradient tensors, worst relative error ${worst.toExponential(2)}`);
});
