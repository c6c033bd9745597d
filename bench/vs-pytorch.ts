// npm run bench:vs-pytorch [-- --quick --cases main,size,ngf --rounds R --backend wasm
//                                --threads 1 --python PATH --json FILE]
// Training speed of cyclegan-lab beside PyTorch on the CPU of the same machine, batch 1:
// the same generator step, discriminator step and CycleGAN iteration (bench/training-steps.ts
// here, bench/pytorch_reference.py there), at the paper's size (32x32, ngf 64), then the
// generator step against image size and against width.
// Each measurement runs in R alternating rounds (ours in this process, then PyTorch in a
// child process), each round warm-up steps then timed ones, so both sides see the same
// background load on a shared machine. Medians are over all timed steps of all rounds.
// Where the two batch differently (our trainer runs real and fake through a discriminator,
// and both inputs of a generator, in one call; the reference calls a network per image),
// each side does what its own trainer does: the arithmetic is the same.
// --threads N (default 1) gives both sides N threads: our wasm backend's XNNPACK pool
// (src/training/wasm-threads.ts) and torch.set_num_threads.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_CHOICES, initBackend } from '../src/training/backend.js';
import type { BackendChoice, BackendName } from '../src/training/protocol.js';
import { projectRoot } from '../src/paths.js';
import { cycleGanIteration, discriminatorStep, generatorStep, median, timeSteps, type StepShape, type StepTimes, type TrainingStep } from './training-steps.js';

const USAGE = `npm run bench:vs-pytorch -- [options]
  --quick            fewer steps and rounds, no 128x128 (about 1 minute)
  --cases LIST       tables to run, of main,size,ngf (default all)
  --rounds R         alternating rounds per measurement (default 3; --quick 2)
  --threads N        threads for both sides: our wasm backend and torch.set_num_threads (default 1)
  --backend NAME     our backend: wasm (default), tensorflow, cpu, auto
  --python PATH      a Python that imports torch (default: python3, then /usr/bin/python3)
  --json FILE        also write the raw figures
Run it on an otherwise idle machine: both sides are timed by the wall clock.`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      quick: { type: 'boolean', default: false },
      cases: { type: 'string', default: 'main,size,ngf' },
      rounds: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      threads: { type: 'string', default: '1' },
      python: { type: 'string' },
      json: { type: 'string' },
    },
  });
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const opts = parsed.values;
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

type What = 'gen' | 'disc' | 'cyclegan';
const WHAT_LABEL: Record<What, string> = { gen: 'generator step', disc: 'discriminator step', cyclegan: 'CycleGAN iteration' };
const BLOCKS = 3;

interface Measurement {
  what: What;
  size: number;
  ngf: number;
  /** Timed and warm-up steps per round and side (the default run; --quick cuts them). */
  steps: number;
  warmup: number;
}

// Steps per round sized so our side spends about 5-20 s on each at today's wasm speeds.
const M = {
  gen32: { what: 'gen', size: 32, ngf: 64, steps: 10, warmup: 2 },
  disc32: { what: 'disc', size: 32, ngf: 64, steps: 20, warmup: 2 },
  cycle32: { what: 'cyclegan', size: 32, ngf: 64, steps: 5, warmup: 1 },
  gen64: { what: 'gen', size: 64, ngf: 64, steps: 5, warmup: 1 },
  gen128: { what: 'gen', size: 128, ngf: 64, steps: 3, warmup: 1 },
  gen32ngf16: { what: 'gen', size: 32, ngf: 16, steps: 20, warmup: 2 },
  gen32ngf32: { what: 'gen', size: 32, ngf: 32, steps: 15, warmup: 2 },
} satisfies Record<string, Measurement>;

interface Table {
  title: string;
  /** Header of the first column and its text for a measurement. */
  column: string;
  label: (m: Measurement) => string;
  rows: Measurement[];
}

const TABLES: Record<string, Table> = {
  main: { title: `Paper size: 32x32, ngf 64, ndf 64, ${BLOCKS} residual blocks`, column: 'step', label: (m) => WHAT_LABEL[m.what], rows: [M.gen32, M.disc32, M.cycle32] },
  size: { title: 'Generator step against image size (ngf 64)', column: 'image size', label: (m) => `${m.size}x${m.size}`, rows: [M.gen32, M.gen64, M.gen128] },
  ngf: { title: 'Generator step against width (32x32)', column: 'ngf', label: (m) => String(m.ngf), rows: [M.gen32ngf16, M.gen32ngf32, M.gen32] },
};

const quick = opts.quick;
const rounds = opts.rounds !== undefined ? positiveInt(opts.rounds, '--rounds') : quick ? 2 : 3;
const threads = positiveInt(opts.threads, '--threads');
const tableNames = opts.cases.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of tableNames) {
  if (!(name in TABLES)) throw new Error(`unknown case '${name}' in --cases: allowed values are ${Object.keys(TABLES).join(', ')}`);
}
if (!BACKEND_CHOICES.includes(opts.backend as BackendChoice)) {
  throw new Error(`unknown --backend '${opts.backend}': allowed values are ${BACKEND_CHOICES.join(', ')}`);
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${text}'`);
  return n;
}

const skipped = (m: Measurement): boolean => quick && m.size >= 128;
const plan = (m: Measurement): { steps: number; warmup: number } => (quick ? { steps: Math.max(2, Math.ceil(m.steps / 3)), warmup: 1 } : m);
const measurementLabel = (m: Measurement): string => `${WHAT_LABEL[m.what]} ${m.size}x${m.size} ngf ${m.ngf}`;

// ---- PyTorch side ----

interface TorchPython {
  python: string;
  torch: string;
}

/** The first interpreter that imports torch, or why none did. */
function findTorchPython(): TorchPython | { tried: string[] } {
  // The default python3 may be a pyenv/venv one without torch; Debian's python3-torch lives in /usr/bin/python3.
  const candidates = opts.python ? [opts.python] : ['python3', '/usr/bin/python3'];
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.error) tried.push(`${python}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : r.error.message}`);
    else if (r.status !== 0) tried.push(`${python}: ${r.stderr.trim().split('\n').pop()}`);
    else return { python, torch: r.stdout.trim() };
  }
  return { tried };
}

interface TorchRun {
  torch: string;
  threads: number;
  params: { generator?: number; discriminator?: number };
  ms: number[];
  cpu_ms: number[];
}

const SCRIPT = join(projectRoot(), 'bench', 'pytorch_reference.py');

function runTorch(python: string, m: Measurement): TorchRun {
  const { steps, warmup } = plan(m);
  const argv = [SCRIPT, '--what', m.what, '--size', m.size, '--ngf', m.ngf, '--blocks', BLOCKS, '--steps', steps, '--warmup', warmup, '--threads', threads].map(String);
  const r = spawnSync(python, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
  if (r.error) throw new Error(`cannot run ${python} ${SCRIPT}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${python} ${argv.join(' ')} failed with exit status ${r.status ?? r.signal}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as TorchRun;
}

// ---- our side ----

function makeStep(backend: BackendName, m: Measurement): Promise<TrainingStep> {
  const shape: StepShape = { size: m.size, ngf: m.ngf, nBlocks: BLOCKS };
  if (m.what === 'gen') return generatorStep(shape);
  if (m.what === 'disc') return discriminatorStep(shape);
  return cycleGanIteration(backend, shape);
}

async function runOurs(backend: BackendName, m: Measurement): Promise<StepTimes & { params: TrainingStep['params'] }> {
  const { steps, warmup } = plan(m);
  const step = await makeStep(backend, m);
  try {
    return { ...timeSteps(step.run, steps, warmup), params: step.params };
  } finally {
    step.dispose();
  }
}

/** Fails loudly unless both sides train networks of the same size. */
function checkParams(m: Measurement, ours: TrainingStep['params'], theirs: TrainingStep['params']): string {
  const kinds = Object.keys(ours) as (keyof TrainingStep['params'])[];
  const shown: string[] = [];
  for (const kind of kinds) {
    if (ours[kind] !== theirs[kind]) {
      throw new Error(`${measurementLabel(m)}: the ${kind} has ${ours[kind]} parameters here but ${theirs[kind]} in PyTorch: the two sides do not train the same network`);
    }
    shown.push(`${kind} ${ours[kind]!.toLocaleString('en-US')}`);
  }
  return shown.join(', ');
}

// ---- run ----

interface Result {
  m: Measurement;
  ours: { wall: number[]; cpu: number[]; rounds: number[] };
  torch: { wall: number[]; cpu: number[]; rounds: number[] } | null;
  params: TrainingStep['params'];
}

const t0 = performance.now();
const backend = await initBackend(opts.backend as BackendChoice, { wasmThreads: threads });
const ourThreads = backend === 'wasm' ? getThreadsCount() : null;
const found = findTorchPython();
const torchPython = 'python' in found ? found : null;
if (!torchPython) {
  console.log(
    `PyTorch not found (${('tried' in found ? found.tried : []).join('; ')}).\n` +
      'Install it with `apt-get install python3-torch` (Debian/Ubuntu) or `pip install torch`, or pass --python /path/to/python.\n' +
      'PyTorch is skipped: only this product\'s figures follow.',
  );
}

const measurements = [...new Set(tableNames.flatMap((t) => TABLES[t].rows))].filter((m) => !skipped(m));
let torchThreads: number | null = null;
const results = new Map<Measurement, Result>();
let index = 0;
for (const m of measurements) {
  index++;
  const { steps, warmup } = plan(m);
  const res: Result = { m, ours: { wall: [], cpu: [], rounds: [] }, torch: torchPython ? { wall: [], cpu: [], rounds: [] } : null, params: {} };
  for (let r = 1; r <= rounds; r++) {
    const head = `[${index}/${measurements.length}] ${measurementLabel(m)}, round ${r}/${rounds}`;
    const ours = await runOurs(backend, m);
    res.ours.wall.push(...ours.wall);
    res.ours.cpu.push(...ours.cpu);
    res.ours.rounds.push(median(ours.wall));
    res.params = ours.params;
    console.log(`${head}: ours (${backend}) ${median(ours.wall).toFixed(0)} ms (cpu ${median(ours.cpu).toFixed(0)}), median of ${steps} after ${warmup} warm-up`);
    if (!torchPython || !res.torch) continue;
    const theirs = runTorch(torchPython.python, m);
    const params = checkParams(m, ours.params, theirs.params);
    torchThreads = theirs.threads;
    res.torch.wall.push(...theirs.ms);
    res.torch.cpu.push(...theirs.cpu_ms);
    res.torch.rounds.push(median(theirs.ms));
    console.log(`${head}: PyTorch ${median(theirs.ms).toFixed(0)} ms (cpu ${median(theirs.cpu_ms).toFixed(0)}); parameters equal (${params})`);
  }
  results.set(m, res);
}
const totalS = (performance.now() - t0) / 1000;

// ---- report ----

const fmt = (t: { wall: number[]; cpu: number[] }): string => `${median(t.wall).toFixed(0)} (cpu ${median(t.cpu).toFixed(0)})`;
const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
const lines: string[] = [];
lines.push('## cyclegan-lab vs PyTorch: CPU training speed, ms per step, batch 1');
lines.push('');
lines.push(
  `Ours: TF.js ${tf.version_core} ${backend} backend${ourThreads !== null ? ` (${ourThreads} thread${ourThreads === 1 ? '' : 's'})` : ''}. ` +
    (torchPython ? `PyTorch ${torchPython.torch} (${torchPython.python}), torch.get_num_threads() = ${torchThreads}. ` : 'PyTorch: skipped (not installed). ') +
    `${cpuModel}, ${cpus().length} logical CPUs. ${rounds} alternating round${rounds === 1 ? '' : 's'} per row; ` +
    'wall-clock median of all timed steps (process CPU time in brackets); ratio of the wall medians.',
);
for (const name of tableNames) {
  const table = TABLES[name];
  lines.push('', `### ${table.title}`, '');
  lines.push(`| ${table.column} | ours ms | PyTorch ms | ours / PyTorch | timed steps per side |`);
  lines.push('|---|---:|---:|---:|---:|');
  for (const m of table.rows) {
    const res = results.get(m);
    if (!res) {
      lines.push(`| ${table.label(m)} | skipped (--quick) | | | |`);
      continue;
    }
    const ratio = res.torch ? `${(median(res.ours.wall) / median(res.torch.wall)).toFixed(2)}x` : 'n/a';
    lines.push(`| ${table.label(m)} | ${fmt(res.ours)} | ${res.torch ? fmt(res.torch) : 'skipped'} | ${ratio} | ${res.ours.wall.length} |`);
  }
}
lines.push('', `Whole run: ${(totalS / 60).toFixed(1)} min.`);
console.log('\n' + lines.join('\n'));

if (opts.json) {
  const raw = {
    date: new Date().toISOString(),
    machine: { cpu: cpuModel, logicalCpus: cpus().length, node: process.version },
    ours: { backend, threads: ourThreads, tfjs: tf.version_core },
    pytorch: torchPython ? { ...torchPython, threads: torchThreads } : null,
    rounds,
    quick,
    totalSeconds: totalS,
    measurements: [...results.values()].map((r) => ({
      what: r.m.what,
      size: r.m.size,
      ngf: r.m.ngf,
      ndf: r.m.ngf,
      blocks: BLOCKS,
      ...plan(r.m),
      params: r.params,
      ours: { ...r.ours, medianMs: median(r.ours.wall), medianCpuMs: median(r.ours.cpu) },
      pytorch: r.torch ? { ...r.torch, medianMs: median(r.torch.wall), medianCpuMs: median(r.torch.cpu) } : null,
      ratio: r.torch ? median(r.ours.wall) / median(r.torch.wall) : null,
    })),
  };
  writeFileSync(opts.json, JSON.stringify(raw, null, 2) + '\n');
  console.log(`Raw figures written to ${opts.json}`);
}
