// Backend selection for a training worker. One TF.js backend per worker thread.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice, BackendName } from './protocol.js';
import { registerConv2DBackpropFilterForWasm } from './wasm-kernels/conv2d-backprop-filter.js';
import { registerConv2DBackpropInputForWasm } from './wasm-kernels/conv2d-backprop-input.js';
import { registerAdamUpdateForWasm } from './wasm-kernels/adam-update.js';
import { registerIdentityForWasm } from './wasm-kernels/identity.js';
import { registerReflectPadGradForWasm } from './wasm-kernels/reflect-pad-grad.js';
import { registerInstanceNormForWasm } from './wasm-kernels/instance-norm.js';
import { registerReflectPadGradient } from './gradients/mirror-pad-grad.js';
import { activateWasm } from './wasm-threads.js';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

const require = createRequire(import.meta.url);

/** Native TensorFlow bindings, GPU build first. Both are optional dependencies that may be absent. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Loads the first native package that imports and really registers the 'tensorflow'
 * backend (a resolvable module whose binding failed to load does not count).
 * Returns the reasons each candidate was rejected when none works.
 */
async function loadNativeBackend(): Promise<{ ok: true } | { ok: false; reasons: string[] }> {
  const reasons: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      await import(pkg);
    } catch (err) {
      reasons.push(`${pkg}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    // findBackend initialises a registered factory: null means no usable binding in *our* tfjs-core.
    if (tf.findBackend('tensorflow') !== null) return { ok: true };
    reasons.push(`${pkg}: imported but did not register the 'tensorflow' backend`);
  }
  return { ok: false, reasons };
}

/** Folder holding the wasm backend's .wasm binaries (Node cannot fetch them from a URL). */
export function wasmBinariesDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';
}

async function activate(name: BackendName, wasmThreads: number): Promise<void> {
  if (name === 'wasm') {
    setWasmPaths(wasmBinariesDir());
    await activateWasm(wasmThreads);
    return;
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
}

/**
 * Makes `choice` the TF.js backend of this thread and returns the backend actually in use.
 * 'auto': native TensorFlow (GPU, then CPU build) when installed, else wasm. Asking for an
 * explicit backend that is not installed throws; there is no silent fallback.
 * `wasmThreads` (default 1) applies when wasm is first initialised in this thread.
 * Also registers the kernels and gradients training needs (see wasm-kernels/, gradients/).
 */
export async function initBackend(choice: BackendChoice, { wasmThreads = 1 }: { wasmThreads?: number } = {}): Promise<BackendName> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new Error(`unknown backend '${String(choice)}': allowed values are ${BACKEND_CHOICES.join(', ')}`);
  }
  let name: BackendName;
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = await loadNativeBackend();
    if (native.ok) name = 'tensorflow';
    else if (choice === 'tensorflow') {
      throw new Error(
        `backend 'tensorflow' is not installed (${native.reasons.join('; ')}); install @tensorflow/tfjs-node or choose LAB_BACKEND=wasm`,
      );
    } else name = 'wasm';
  } else name = choice;

  registerReflectPadGradient();
  await activate(name, wasmThreads);
  if (name === 'wasm') {
    registerConv2DBackpropFilterForWasm();
    registerConv2DBackpropInputForWasm();
    registerAdamUpdateForWasm();
    registerIdentityForWasm();
    registerReflectPadGradForWasm();
    registerInstanceNormForWasm();
  }
  return name;
}
