// wasm's Identity copies the tensor. TF.js's engine runs it for every tensor it saves for
// the backward pass (about a thousand per CycleGAN iteration), so the copies cost ~3% of
// a training step. Tensors are immutable, so the copy can share the data and count a
// reference, as wasm's own Reshape does.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernel, type KernelParams } from './kernel-calls.js';

function identityWasm({ inputs, backend }: KernelParams): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Registers the sharing Identity for 'wasm' (idempotent). */
export function registerIdentityForWasm(): void {
  registerWasmKernel(tf.Identity, identityWasm);
}
