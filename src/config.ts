import { availableParallelism } from 'node:os';
import { delimiter, resolve } from 'node:path';
import type { BackendChoice } from './training/protocol.js';

/** Server configuration: environment variables, overridden by explicit options. */
export interface LabConfig {
  /** LAB_DATA_DIR: database, run folders and caches (default ./lab-data). */
  dataDir: string;
  /** HOST (default 127.0.0.1). */
  host: string;
  /** PORT (default 4000; 0 picks a free port). */
  port: number;
  /** LAB_BACKEND: TF.js backend for training workers (default auto). */
  backend: BackendChoice;
  /** LAB_MAX_CONCURRENT_RUNS: workers training at once (default: the CPU count). */
  maxConcurrentRuns: number;
  /** LAB_DATASET_ROOTS: folders registerDataset may read below (separated by the path delimiter); null: anywhere. */
  datasetRoots: string[] | null;
  /** LAB_API_TOKEN: when set, every request needs `Authorization: Bearer <token>`. */
  apiToken: string | null;
  /** LAB_INCEPTION_WEIGHTS_DIR: TF.js InceptionV3 weights, needed for INCEPTION_V3 evaluations. */
  inceptionWeightsDir: string | null;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

function integerSetting(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

/** Checks a complete configuration; throws an Error naming the setting and the allowed values. */
export function checkConfig(config: LabConfig): LabConfig {
  if (!BACKENDS.includes(config.backend)) {
    throw new Error(`LAB_BACKEND must be one of ${BACKENDS.join(', ')} (got "${config.backend}")`);
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535 (got ${config.port})`);
  }
  if (!Number.isInteger(config.maxConcurrentRuns) || config.maxConcurrentRuns < 1 || config.maxConcurrentRuns > 256) {
    throw new Error(`LAB_MAX_CONCURRENT_RUNS must be an integer between 1 and 256 (got ${config.maxConcurrentRuns})`);
  }
  if (!config.host) throw new Error('HOST must not be empty');
  return config;
}

/** Reads the configuration from `env`; fields in `overrides` win over the environment. */
export function loadConfig(overrides: Partial<LabConfig> = {}, env: NodeJS.ProcessEnv = process.env): LabConfig {
  const setting = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const roots = setting('LAB_DATASET_ROOTS');
  const port = setting('PORT');
  const maxRuns = setting('LAB_MAX_CONCURRENT_RUNS');
  const merged: LabConfig = {
    dataDir: overrides.dataDir ?? setting('LAB_DATA_DIR') ?? './lab-data',
    host: overrides.host ?? setting('HOST') ?? '127.0.0.1',
    port: overrides.port ?? (port === undefined ? 4000 : integerSetting('PORT', port, 0, 65535)),
    backend: overrides.backend ?? ((setting('LAB_BACKEND') ?? 'auto') as BackendChoice),
    maxConcurrentRuns:
      overrides.maxConcurrentRuns ??
      (maxRuns === undefined ? availableParallelism() : integerSetting('LAB_MAX_CONCURRENT_RUNS', maxRuns, 1, 256)),
    datasetRoots:
      overrides.datasetRoots !== undefined
        ? overrides.datasetRoots
        : roots === undefined
          ? null
          : roots.split(delimiter).filter(Boolean),
    apiToken: overrides.apiToken !== undefined ? overrides.apiToken : (setting('LAB_API_TOKEN') ?? null),
    inceptionWeightsDir:
      overrides.inceptionWeightsDir !== undefined ? overrides.inceptionWeightsDir : (setting('LAB_INCEPTION_WEIGHTS_DIR') ?? null),
  };
  merged.dataDir = resolve(merged.dataDir);
  if (merged.datasetRoots) merged.datasetRoots = merged.datasetRoots.map((r) => resolve(r));
  return checkConfig(merged);
}
