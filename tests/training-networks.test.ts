// Architectures: parameter counts against the PyTorch reference and the paper, shapes,
// and clear errors for sizes a network cannot take.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { buildResnetGenerator } from '../src/training/networks/resnet-generator.js';
import { buildPatchDiscriminator, patchMapSize } from '../src/training/networks/patch-discriminator.js';
import { autoencoderParamCount, buildAutoencoder } from '../src/training/networks/autoencoder.js';

before(async () => {
  await initBackend('wasm');
});

test('ResNet generator at ngf 64, 3 blocks, 32x32 has the reference 4,297,219 parameters', () => {
  const g = buildResnetGenerator({ ngf: 64, nBlocks: 3 }, 32);
  assert.equal(g.countParams(), 4_297_219);
  // 6 and 9 blocks: the paper's 7.8 M and 11.4 M (each block adds 2 x (3*3*256*256 + 256)).
  assert.equal(buildResnetGenerator({ ngf: 64, nBlocks: 9 }, 32).countParams(), 4_297_219 + 6 * 1_180_160);
  assert.deepEqual(g.outputs[0].shape, [null, 32, 32, 3]);
});

test('generator keeps the image size for any multiple of 4 and rejects others', () => {
  for (const size of [8, 12, 20]) {
    const g = buildResnetGenerator({ ngf: 4, nBlocks: 1 }, size);
    const y = g.predict(tf.zeros([2, size, size, 3])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, size, size, 3]);
    y.dispose();
  }
  assert.throws(() => buildResnetGenerator({ ngf: 4, nBlocks: 1 }, 30), /multiple of 4/);
});

test('PatchGAN discriminator: reference 2,764,737 parameters, valid from 32x32 to 256x256', () => {
  assert.equal(buildPatchDiscriminator({ ndf: 64, nLayers: 3 }, 32).countParams(), 2_764_737);
  assert.deepEqual([32, 64, 128, 256].map((s) => patchMapSize(s, 3)), [2, 6, 14, 30]);
  const d = buildPatchDiscriminator({ ndf: 8, nLayers: 3 }, 256);
  const y = d.predict(tf.zeros([1, 256, 256, 3])) as tf.Tensor;
  assert.deepEqual(y.shape, [1, 30, 30, 1]);
  y.dispose();
  assert.throws(() => buildPatchDiscriminator({ ndf: 8, nLayers: 3 }, 16), /nLayers 3 needs a larger image than 16x16/);
  assert.deepEqual(buildPatchDiscriminator({ ndf: 8, nLayers: 2 }, 16).outputs[0].shape, [null, 2, 2, 1]);
});

test('the paper autoencoder (latent 16, ngf 64, 3 blocks, 32x32) has 6,229,910 parameters, near the reported 6.1 M', () => {
  const ae = buildAutoencoder({ generator: { ngf: 64, nBlocks: 3 }, latentSize: 16, imageSize: 32, variational: false });
  const n = autoencoderParamCount(ae);
  assert.equal(n, 6_229_910);
  assert.ok(Math.abs(n - 6.1e6) / 6.1e6 < 0.025, `${n} is not within 2.5% of 6.1 M`);
  assert.equal(ae.generator.countParams(), 4_297_219);
  assert.deepEqual(ae.encoder.outputs[0].shape, [null, 16]);
  assert.deepEqual(ae.decoder.outputs[0].shape, [null, 32, 32, 3]);
  // VAE: a second 16-unit head on the 3072-wide flattened features.
  const vae = buildAutoencoder({ generator: { ngf: 64, nBlocks: 3 }, latentSize: 16, imageSize: 32, variational: true });
  assert.equal(autoencoderParamCount(vae), n + 3072 * 16 + 16);
  assert.equal(vae.encoder.outputs.length, 2);
  assert.throws(() => buildAutoencoder({ generator: { ngf: 8, nBlocks: 1 }, latentSize: 16, imageSize: 36, variational: false }), /multiple of 8/);
});
