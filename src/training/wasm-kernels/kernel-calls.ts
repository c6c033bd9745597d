// Composing wasm kernels inside a kernel: calls registered wasm kernel functions directly
// (no ops, so nothing is recorded on the gradient tape) and frees every intermediate.
import * as tf from '@tensorflow/tfjs';

export type KernelParams = Parameters<tf.KernelFunc>[0];

export class KernelCalls {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(private readonly backend: tf.KernelBackend) {}

  /** Runs wasm kernel `name`; the result is freed by dispose() unless it is the final output. */
  run(name: string, inputs: Record<string, tf.TensorInfo>, attrs: object): tf.TensorInfo {
    const out = tf.getKernel(name, 'wasm').kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** Makes a tensor freed like the results of run(). */
  track(t: tf.TensorInfo): tf.TensorInfo {
    this.temps.push(t);
    return t;
  }

  /** Frees every intermediate except `result`, and returns it. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temps) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }

  /** Frees every intermediate (for error paths). */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
  }
}

/** Registers `kernelFunc` as wasm's kernel `name`, replacing an existing one without a warning. */
export function registerWasmKernel(name: string, kernelFunc: tf.KernelFunc): void {
  const existing = tf.getKernelsForBackend('wasm').find((k) => k.kernelName === name);
  if (existing?.kernelFunc === kernelFunc) return;
  if (existing) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
}
