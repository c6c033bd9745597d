import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { projectRoot } from '../paths.js';

/** An experiment preset: a plain JSON file (experiments/*.json) a researcher can copy and edit. */
export interface ExperimentPreset {
  name: string;
  description: string;
  /** Name of a registered dataset. */
  dataset: string;
  imageSize: number;
  /** One full experiment (two AEs, two CycleGANs, evaluations) per seed. */
  seeds: number[];
  pretraining: {
    kind: 'AE' | 'VAE';
    ngf: number;
    nBlocks: number;
    latentSize: number;
    epochs: number;
    learningRate: number;
    batchSize: number;
    maxTrainImages: number | null;
  };
  cycleGan: {
    ngf: number;
    nBlocks: number;
    ndf: number;
    nLayers: number;
    epochs: number;
    epochsDecay: number;
    learningRate: number;
    batchSize: number;
    maxTrainImages: number | null;
    ssimEvery: number;
  };
  evaluation: {
    extractor: 'RESNET50_IMAGENET' | 'INCEPTION_V3';
    maxImages: number | null;
    kidSubsetSize: number;
    kidSubsets: number;
  };
}

export const presetsDir = (): string => join(projectRoot(), 'experiments');

export function listPresets(): string[] {
  return readdirSync(presetsDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

/** Loads a preset by name (experiments/NAME.json) or by path to a JSON file, and checks its shape. */
export function loadPreset(nameOrPath: string): ExperimentPreset {
  const looksLikePath = nameOrPath.endsWith('.json') || nameOrPath.includes('/') || isAbsolute(nameOrPath);
  const file = looksLikePath ? resolve(nameOrPath) : join(presetsDir(), `${nameOrPath}.json`);
  if (!existsSync(file)) {
    throw new Error(`preset "${nameOrPath}" not found (${file}); built-in presets: ${listPresets().join(', ')}, or give a path to a JSON file`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`preset ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return checkPreset(raw, file);
}

/** Shape checks only; value ranges are checked by the server when the runs are started. */
export function checkPreset(raw: unknown, source: string): ExperimentPreset {
  const fail = (field: string, expected: string): never => {
    throw new Error(`preset ${source}: field "${field}" must be ${expected}`);
  };
  const obj = (value: unknown, field: string): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(field, 'an object');
  const num = (o: Record<string, unknown>, field: string, path: string): void => {
    if (typeof o[field] !== 'number' || !Number.isFinite(o[field])) fail(`${path}${field}`, 'a finite number');
  };
  const numOrNull = (o: Record<string, unknown>, field: string, path: string): void => {
    if (o[field] !== null && (typeof o[field] !== 'number' || !Number.isInteger(o[field]) || (o[field] as number) < 1)) {
      fail(`${path}${field}`, 'a positive integer or null (all images)');
    }
  };
  const top = obj(raw, '(root)');
  for (const field of ['name', 'description', 'dataset']) if (typeof top[field] !== 'string') fail(field, 'a string');
  num(top, 'imageSize', '');
  if (!Array.isArray(top.seeds) || top.seeds.length === 0 || !top.seeds.every((s) => Number.isInteger(s))) {
    fail('seeds', 'a non-empty list of integers');
  }
  const pre = obj(top.pretraining, 'pretraining');
  if (pre.kind !== 'AE' && pre.kind !== 'VAE') fail('pretraining.kind', '"AE" or "VAE"');
  for (const f of ['ngf', 'nBlocks', 'latentSize', 'epochs', 'learningRate', 'batchSize']) num(pre, f, 'pretraining.');
  numOrNull(pre, 'maxTrainImages', 'pretraining.');
  const cg = obj(top.cycleGan, 'cycleGan');
  for (const f of ['ngf', 'nBlocks', 'ndf', 'nLayers', 'epochs', 'epochsDecay', 'learningRate', 'batchSize', 'ssimEvery']) num(cg, f, 'cycleGan.');
  numOrNull(cg, 'maxTrainImages', 'cycleGan.');
  const ev = obj(top.evaluation, 'evaluation');
  if (ev.extractor !== 'RESNET50_IMAGENET' && ev.extractor !== 'INCEPTION_V3') fail('evaluation.extractor', '"RESNET50_IMAGENET" or "INCEPTION_V3"');
  numOrNull(ev, 'maxImages', 'evaluation.');
  for (const f of ['kidSubsetSize', 'kidSubsets']) num(ev, f, 'evaluation.');
  return raw as ExperimentPreset;
}
