// Checkpoints: everything needed to continue a run exactly where it stopped.
//   ${runDir}/checkpoints/epoch-0003/
//     gAB/ gBA/ dA/ dB/  (CycleGAN)  or  encoder/ decoder/ generator/  (AE/VAE): model.json + weights.bin
//     optimizer-<name>.bin   Adam first then second moments, float32, variable order
//     pool-<domain>.bin      image-pool contents, float32
//     state.json             epoch, step, RNG state, config, and the index of the binary files
// A checkpoint is written into a hidden temporary folder and renamed into place, so a
// process killed mid-write never leaves a partial epoch-NNNN folder behind.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Adam } from './adam.js';
import type { ImagePool } from './image-pool.js';
import { copyWeights, loadModel, saveModel } from './model-files.js';
import type { RngState } from './rng.js';
import type { RunConfig } from './protocol.js';

export const CHECKPOINT_FORMAT = 'cyclegan-lab-checkpoint/1';
export const STATE_JSON = 'state.json';
export const CHECKPOINTS_DIR = 'checkpoints';
const EPOCH_DIR = /^epoch-(\d{4,})$/;

export const checkpointDirName = (epoch: number): string => `epoch-${String(epoch).padStart(4, '0')}`;

export interface CheckpointState {
  format: string;
  kind: RunConfig['kind'];
  runId: string;
  /** Epochs completed. */
  epoch: number;
  /** Training iterations completed. */
  step: number;
  rng: RngState;
  config: RunConfig;
  networks: string[];
  optimizers: Record<string, { file: string; step: number; sizes: number[] }>;
  pools: Record<string, { file: string; count: number; shape: number[] }>;
}

export interface CheckpointPayload {
  kind: RunConfig['kind'];
  runId: string;
  epoch: number;
  step: number;
  rng: RngState;
  config: RunConfig;
  networks: Record<string, tf.LayersModel>;
  optimizers: Record<string, Adam>;
  pools: Record<string, ImagePool>;
}

export interface WrittenCheckpoint {
  path: string;
  bytes: number;
  sha256: string;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Total size and a digest of (relative path, file digest) over every file, in path order. */
function fingerprint(dir: string): { bytes: number; sha256: string } {
  const manifest = createHash('sha256');
  let bytes = 0;
  for (const file of listFiles(dir)) {
    const data = readFileSync(file);
    bytes += data.byteLength;
    manifest.update(`${relative(dir, file)}\0${createHash('sha256').update(data).digest('hex')}\n`);
  }
  return { bytes, sha256: manifest.digest('hex') };
}

function concatFloat32(arrays: Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return new Uint8Array(out.buffer);
}

function readFloat32(file: string): Float32Array {
  const buf = readFileSync(file);
  // Copy into an aligned buffer: a Buffer's byteOffset need not be a multiple of 4.
  return new Float32Array(new Uint8Array(buf).buffer);
}

export async function writeCheckpoint(runDir: string, p: CheckpointPayload): Promise<WrittenCheckpoint> {
  const root = join(runDir, CHECKPOINTS_DIR);
  mkdirSync(root, { recursive: true });
  const name = checkpointDirName(p.epoch);
  const tmp = join(root, `.${name}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    for (const [net, model] of Object.entries(p.networks)) {
      mkdirSync(join(tmp, net));
      await saveModel(model, join(tmp, net));
    }
    const optimizers: CheckpointState['optimizers'] = {};
    for (const [opt, adam] of Object.entries(p.optimizers)) {
      const st = await adam.getState();
      const file = `optimizer-${opt}.bin`;
      writeFileSync(join(tmp, file), concatFloat32([...st.m, ...st.v]));
      optimizers[opt] = { file, step: st.step, sizes: st.m.map((a) => a.length) };
    }
    const pools: CheckpointState['pools'] = {};
    for (const [domain, pool] of Object.entries(p.pools)) {
      const st = await pool.serialize();
      const file = `pool-${domain}.bin`;
      writeFileSync(join(tmp, file), new Uint8Array(st.data.buffer, st.data.byteOffset, st.data.byteLength));
      pools[domain] = { file, count: st.count, shape: st.shape };
    }
    const state: CheckpointState = {
      format: CHECKPOINT_FORMAT,
      kind: p.kind,
      runId: p.runId,
      epoch: p.epoch,
      step: p.step,
      rng: p.rng,
      config: p.config,
      networks: Object.keys(p.networks),
      optimizers,
      pools,
    };
    // state.json last: its presence marks a complete checkpoint even before the rename.
    writeFileSync(join(tmp, STATE_JSON), JSON.stringify(state, null, 2));
    const { bytes, sha256 } = fingerprint(tmp);
    const final = join(root, name);
    if (existsSync(final)) {
      const old = join(root, `.${name}.old-${process.pid}-${Date.now()}`);
      renameSync(final, old);
      renameSync(tmp, final);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, final);
    }
    return { path: final, bytes, sha256 };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function readCheckpointState(dir: string): CheckpointState {
  const file = join(dir, STATE_JSON);
  if (!existsSync(file)) throw new Error(`not a checkpoint (no ${STATE_JSON}): ${dir}`);
  const state = JSON.parse(readFileSync(file, 'utf8')) as CheckpointState;
  if (state.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint ${dir} has format '${state.format}', expected '${CHECKPOINT_FORMAT}'`);
  return state;
}

/** Loads the saved weights of network `net` into `model` (same architecture required). */
export async function restoreNetwork(dir: string, net: string, model: tf.LayersModel): Promise<void> {
  const saved = await loadModel(join(dir, net));
  try {
    copyWeights(saved, model, `checkpoint ${dir} network ${net}`);
  } finally {
    saved.dispose();
  }
}

export function restoreOptimizer(dir: string, state: CheckpointState, name: string, adam: Adam): void {
  const entry = state.optimizers[name];
  if (!entry) throw new Error(`checkpoint ${dir} has no optimizer '${name}'`);
  const all = readFloat32(join(dir, entry.file));
  const m: Float32Array[] = [];
  const v: Float32Array[] = [];
  let offset = 0;
  for (const target of [m, v]) {
    for (const size of entry.sizes) {
      target.push(all.subarray(offset, offset + size));
      offset += size;
    }
  }
  if (offset !== all.length) throw new Error(`checkpoint ${dir}: ${entry.file} has ${all.length} values, expected ${offset}`);
  adam.setState({ step: entry.step, m, v });
}

export function restorePool(dir: string, state: CheckpointState, domain: string, pool: ImagePool): void {
  const entry = state.pools[domain];
  if (!entry) throw new Error(`checkpoint ${dir} has no image pool '${domain}'`);
  pool.restore(entry.count, entry.shape, readFloat32(join(dir, entry.file)));
}

/** The newest complete checkpoint folder of a run, or null. */
export function latestCheckpoint(runDir: string): string | null {
  const root = join(runDir, CHECKPOINTS_DIR);
  if (!existsSync(root)) return null;
  const found = readdirSync(root)
    .map((name) => ({ name, m: EPOCH_DIR.exec(name) }))
    .filter(({ name, m }) => m !== null && statSync(join(root, name)).isDirectory() && existsSync(join(root, name, STATE_JSON)))
    .sort((a, b) => Number(b.m![1]) - Number(a.m![1]));
  return found.length > 0 ? join(root, found[0].name) : null;
}

const GENERATOR_NETS = ['gAB', 'gBA', 'generator'] as const;

/**
 * A generator from a checkpoint: 'gAB' / 'gBA' of a CycleGAN, or 'generator', the ResNet
 * generator inside an AE/VAE. Input [N,H,W,3] in [-1,1], output likewise.
 */
export async function loadGeneratorFromCheckpoint(checkpointDir: string, net: 'gAB' | 'gBA' | 'generator'): Promise<tf.LayersModel> {
  if (!GENERATOR_NETS.includes(net)) throw new Error(`unknown generator '${String(net)}': allowed values are ${GENERATOR_NETS.join(', ')}`);
  const state = readCheckpointState(checkpointDir);
  if (!state.networks.includes(net)) {
    throw new Error(`checkpoint ${checkpointDir} (${state.kind}) has no network '${net}'; it has ${state.networks.join(', ')}`);
  }
  return loadModel(join(checkpointDir, net));
}
