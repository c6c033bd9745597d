// npm run bench:train [-- --steps N --skip-cpu --full-cpu]
// Median wall-clock ms of one generator training step (forward, backward, Adam) and one
// full CycleGAN iteration (both generators and discriminators, image pools), batch 1,
// 32x32, 3 residual blocks, discriminator ndf = ngf, at ngf 64 (the paper) and ngf 16, on
// every installed backend.
// The pure-JS cpu backend is ~100x slower: by default it times one step, and its ngf-64
// CycleGAN iteration (minutes) only with --full-cpu.
import { initBackend } from '../src/training/backend.js';
import type { BackendName } from '../src/training/protocol.js';
import { cycleGanIteration, generatorStep, median, timeSteps, type StepShape, type TrainingStep } from './training-steps.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option('--steps', 10);
const SIZE = 32;
const BLOCKS = 3;

interface Timing {
  /** Median wall-clock ms. */
  wall: number;
  /** Median CPU ms of this process: steadier than wall time on a shared machine. */
  cpu: number;
}

async function time(make: Promise<TrainingStep>, n: number, warmup: number): Promise<Timing> {
  const step = await make;
  try {
    const t = timeSteps(step.run, n, warmup);
    return { wall: median(t.wall), cpu: median(t.cpu) };
  } finally {
    step.dispose();
  }
}

const show = (t: Timing | null): string => (t === null ? 'skipped (--full-cpu)' : `${t.wall.toFixed(0)} (cpu ${t.cpu.toFixed(0)})`);

async function installedBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    if (name === 'cpu' && flag('--skip-cpu')) continue;
    try {
      await initBackend(name);
      found.push(name);
    } catch (err) {
      console.log(`${name}: not available (${(err as Error).message.split(';')[0]})`);
    }
  }
  return found;
}

const rows: string[][] = [['backend', 'ngf', 'generator step (ms)', 'CycleGAN iteration (ms)', 'timed steps']];
for (const backend of await installedBackends()) {
  await initBackend(backend);
  const slow = backend === 'cpu';
  const n = slow ? 1 : STEPS;
  const warmup = slow ? 0 : 2;
  for (const ngf of [64, 16]) {
    const shape: StepShape = { size: SIZE, ngf, nBlocks: BLOCKS };
    const g = await time(generatorStep(shape), n, warmup);
    const skipCycle = slow && ngf === 64 && !flag('--full-cpu');
    const c = skipCycle ? null : await time(cycleGanIteration(backend, shape), n, warmup);
    rows.push([backend, String(ngf), show(g), show(c), String(n)]);
    console.log(`${backend} ngf ${ngf}: generator step ${show(g)} ms, CycleGAN iteration ${show(c)} ms`);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`\nms per step, wall clock (process CPU time); batch 1, ${SIZE}x${SIZE}, ${BLOCKS} residual blocks, PatchGAN ndf = ngf (3 layers);`);
console.log('median of the timed steps after 2 warm-ups (cpu backend: one step, no warm-up)');
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
