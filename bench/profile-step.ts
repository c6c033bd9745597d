// npm run bench:profile [-- --what gen|disc|cyclegan --ngf 64 --size 32 --steps 5 --threads 1 --by-shape]
// Where the time of one training step goes on the wasm backend: every registered wasm
// kernel is wrapped with a timer, and each kernel's self time (its own time minus the
// kernels it calls) is summed per kernel name over the timed steps. The rest of the
// step's wall time is TF.js bookkeeping in JavaScript (tape, engine, layers).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { cycleGanIteration, discriminatorStep, generatorStep } from './training-steps.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};

interface KernelStat {
  calls: number;
  selfMs: number;
}
const stats = new Map<string, KernelStat>();
/** Child-kernel time accumulated inside each running kernel, innermost last. */
const childMs: number[] = [];

const detail = args.includes('--by-shape');
const CONVS = new Set(['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul']);
const shapesOf = (inputs: tf.NamedTensorInfoMap): string => Object.values(inputs).map((t) => (t ? `[${t.shape.join(',')}]` : '-')).join(' ');

function wrapWasmKernels(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (params) => {
        childMs.push(0);
        const t0 = performance.now();
        try {
          return inner(params);
        } finally {
          const total = performance.now() - t0;
          const children = childMs.pop()!;
          if (childMs.length) childMs[childMs.length - 1] += total;
          const key = detail && CONVS.has(name) ? `${name} ${shapesOf(params.inputs)}` : name;
          const s = stats.get(key) ?? { calls: 0, selfMs: 0 };
          s.calls++;
          s.selfMs += total - children;
          stats.set(key, s);
        }
      },
    });
  }
}

await initBackend('wasm', { wasmThreads: Number(option('--threads', '1')) });
wrapWasmKernels();
const ngf = Number(option('--ngf', '64'));
const size = Number(option('--size', '32'));
const steps = Number(option('--steps', '5'));
const what = option('--what', 'gen');
const shape = { ngf, size, nBlocks: 3 };
const stepBuilders = { gen: () => generatorStep(shape), disc: () => discriminatorStep(shape), cyclegan: () => cycleGanIteration('wasm', shape) };
if (!(what in stepBuilders)) throw new Error(`--what must be one of ${Object.keys(stepBuilders).join(', ')}, got '${what}'`);
const step = await stepBuilders[what as keyof typeof stepBuilders]();
for (let i = 0; i < 2; i++) step.run();
stats.clear();
const t0 = performance.now();
for (let i = 0; i < steps; i++) step.run();
const wall = (performance.now() - t0) / steps;
step.dispose();

const rows = [...stats.entries()].map(([name, s]) => ({ name, calls: s.calls / steps, ms: s.selfMs / steps })).sort((a, b) => b.ms - a.ms);
const inKernels = rows.reduce((sum, r) => sum + r.ms, 0);
console.log(`${what}, ngf ${ngf}, ${size}x${size}, batch 1, ${option('--threads', '1')} thread(s): ${wall.toFixed(1)} ms per step (mean of ${steps}); in kernels ${inKernels.toFixed(1)} ms, JS outside kernels ${(wall - inKernels).toFixed(1)} ms`);
console.log('kernel                        calls/step   self ms/step   share');
for (const r of rows) {
  if (r.ms < 0.05 * (wall / 100)) continue;
  console.log(`${r.name.padEnd(detail ? 70 : 30)}${r.calls.toFixed(0).padStart(10)}${r.ms.toFixed(2).padStart(15)}${((100 * r.ms) / wall).toFixed(1).padStart(8)}%`);
}
