// Adam exactly as PyTorch's torch.optim.Adam (no weight decay, no amsgrad), with state a
// checkpoint can store and restore bit for bit: the step count and both moments. Bias
// corrections are computed in float64 from the step count, so a resumed optimizer takes
// the same steps as one that never stopped (TF.js's Adam keeps running products of the
// betas in float32 and restores them with pow, which does not round the same way).
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './wasm-kernels/adam-update.js';

export interface AdamHyper {
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface AdamState {
  step: number;
  /** First moments then second moments, one Float32Array per variable, in variable order. */
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private step = 0;

  constructor(
    readonly variables: tf.Variable[],
    readonly hyper: AdamHyper,
  ) {
    const zeros = (): tf.Variable[] => variables.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.m = zeros();
    this.v = zeros();
  }

  get steps(): number {
    return this.step;
  }

  /** One update with `grads` (same order as `variables`) at learning rate `lr`. */
  apply(grads: tf.Tensor[], lr: number): void {
    if (grads.length !== this.variables.length) throw new Error(`Adam: ${grads.length} gradients for ${this.variables.length} variables`);
    grads.forEach((g, i) => {
      const p = this.variables[i];
      if (g.size !== p.size) throw new Error(`Adam: gradient ${i} has shape [${g.shape}], its variable ${p.name} [${p.shape}]`);
    });
    this.step++;
    const { beta1, beta2, epsilon } = this.hyper;
    const stepSize = lr / (1 - beta1 ** this.step);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** this.step);
    if (tf.getBackend() === 'wasm') {
      // One fused kernel per variable (wasm-kernels/adam-update.ts), same update as below.
      const attrs: AdamUpdateAttrs = { beta1, beta2, epsilon, stepSize, sqrtBias2 };
      this.variables.forEach((p, i) => {
        const inputs = { param: p, m: this.m[i], v: this.v[i], grad: grads[i] };
        tf.tidy(() => p.assign(tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor));
      });
      return;
    }
    // One tidy per variable: the temporaries of one variable at a time, not of the whole model.
    this.variables.forEach((p, i) => {
      tf.tidy(() => {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBias2), epsilon);
        this.m[i].assign(m);
        this.v[i].assign(v);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  async getState(): Promise<AdamState> {
    const read = (vars: tf.Variable[]): Promise<Float32Array[]> => Promise.all(vars.map((t) => t.data() as Promise<Float32Array>));
    return { step: this.step, m: await read(this.m), v: await read(this.v) };
  }

  setState(state: AdamState): void {
    const check = (arrays: Float32Array[], what: string): void => {
      if (arrays.length !== this.variables.length) {
        throw new Error(`Adam state has ${arrays.length} ${what} tensors, the model has ${this.variables.length} variables`);
      }
      arrays.forEach((a, i) => {
        if (a.length !== this.variables[i].size) {
          throw new Error(`Adam ${what} for variable ${i} has ${a.length} values, expected ${this.variables[i].size}`);
        }
      });
    };
    check(state.m, 'first-moment');
    check(state.v, 'second-moment');
    this.step = state.step;
    tf.tidy(() => {
      state.m.forEach((a, i) => this.m[i].assign(tf.tensor(a, this.variables[i].shape)));
      state.v.forEach((a, i) => this.v[i].assign(tf.tensor(a, this.variables[i].shape)));
    });
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
