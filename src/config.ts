import { createRequire } from 'node:module';
import { availableParallelism, totalmem } from 'node:os';
import { delimiter, resolve } from 'node:path';
import { MAX_WASM_THREADS, type BackendChoice } from './training/protocol.js';

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
  /** LAB_WASM_THREADS: threads of each run on the wasm backend, 1 to 8 (default: the CPU count / maxConcurrentRuns). */
  wasmThreads: number;
  /** LAB_DATASET_ROOTS: folders registerDataset may read below (separated by the path delimiter); null: anywhere. */
  datasetRoots: string[] | null;
  /**
   * LAB_API_TOKEN: when set, every request needs `Authorization: Bearer <token>`. Required
   * (at least 16 characters) when HOST is not a loopback address.
   */
  apiToken: string | null;
  /**
   * LAB_RUN_MEMORY_MB: memory one training run may use; a configuration estimated to need
   * more is refused up front, and a worker's JS heap is capped at it (default: see defaultRunMemoryMb).
   */
  runMemoryMb: number;
  /** LAB_INTROSPECTION (on/off): GraphQL schema introspection (default: on when HOST is loopback, off otherwise). */
  introspection: boolean;
  /** LAB_MAX_QUERY_DEPTH: deepest field nesting an operation may have (default 15). */
  maxQueryDepth: number;
  /** LAB_MAX_QUERY_COST: largest estimated number of values an operation may ask for (default 1000000; see src/server/query-limits.ts). */
  maxQueryCost: number;
  /** LAB_INCEPTION_WEIGHTS_DIR: TF.js InceptionV3 weights, needed for INCEPTION_V3 evaluations. */
  inceptionWeightsDir: string | null;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The wasm backend's heap cannot grow past 4 GiB (TF.js then fails with "memory access out of bounds"). */
export const WASM_HEAP_MB = 4096;
const NATIVE_BACKENDS = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
export const MIN_REMOTE_TOKEN_LENGTH = 16;

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || /^::ffff:127(\.\d{1,3}){3}$/.test(bare);
}

function nativeBackendInstalled(): boolean {
  const require = createRequire(import.meta.url);
  return NATIVE_BACKENDS.some((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Default LAB_RUN_MEMORY_MB: 80% of the machine's memory shared by the concurrent runs,
 * and no more than the wasm heap when runs may train on wasm (LAB_BACKEND wasm, or auto
 * without a native TensorFlow package installed).
 */
export function defaultRunMemoryMb(backend: BackendChoice, maxConcurrentRuns: number): number {
  const share = Math.floor((0.8 * totalmem()) / 2 ** 20 / maxConcurrentRuns);
  const onWasm = backend === 'wasm' || (backend === 'auto' && !nativeBackendInstalled());
  return onWasm ? Math.min(share, WASM_HEAP_MB) : share;
}

/** Default LAB_WASM_THREADS: the cores shared by the concurrent runs, so they do not oversubscribe the CPU. */
export function defaultWasmThreads(maxConcurrentRuns: number): number {
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(availableParallelism() / maxConcurrentRuns)));
}

function booleanSetting(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new Error(`${name} must be on or off (got "${raw}")`);
}

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
  if (!Number.isInteger(config.wasmThreads) || config.wasmThreads < 1 || config.wasmThreads > MAX_WASM_THREADS) {
    throw new Error(`LAB_WASM_THREADS must be an integer between 1 and ${MAX_WASM_THREADS} (got ${config.wasmThreads})`);
  }
  if (!config.host) throw new Error('HOST must not be empty');
  if (!isLoopbackHost(config.host) && (config.apiToken ?? '').length < MIN_REMOTE_TOKEN_LENGTH) {
    throw new Error(
      `HOST ${config.host} is reachable from other machines, so LAB_API_TOKEN must be set to a secret of at least ${MIN_REMOTE_TOKEN_LENGTH} characters ` +
        `(every request must then carry it); or bind HOST=127.0.0.1`,
    );
  }
  if (!Number.isInteger(config.runMemoryMb) || config.runMemoryMb < 16) {
    throw new Error(`LAB_RUN_MEMORY_MB must be an integer of at least 16 (got ${config.runMemoryMb})`);
  }
  if (!Number.isInteger(config.maxQueryDepth) || config.maxQueryDepth < 1) {
    throw new Error(`LAB_MAX_QUERY_DEPTH must be a positive integer (got ${config.maxQueryDepth})`);
  }
  if (!Number.isInteger(config.maxQueryCost) || config.maxQueryCost < 1) {
    throw new Error(`LAB_MAX_QUERY_COST must be a positive integer (got ${config.maxQueryCost})`);
  }
  return config;
}

/** Reads the configuration from `env`; fields in `overrides` win over the environment. */
export function loadConfig(overrides: Partial<LabConfig> = {}, env: NodeJS.ProcessEnv = process.env): LabConfig {
  const setting = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const roots = setting('LAB_DATASET_ROOTS');
  const port = setting('PORT');
  const maxRuns = setting('LAB_MAX_CONCURRENT_RUNS');
  const runMemory = setting('LAB_RUN_MEMORY_MB');
  const introspection = setting('LAB_INTROSPECTION');
  const maxDepth = setting('LAB_MAX_QUERY_DEPTH');
  const maxCost = setting('LAB_MAX_QUERY_COST');
  const wasmThreads = setting('LAB_WASM_THREADS');
  const merged: Omit<LabConfig, 'runMemoryMb' | 'introspection' | 'wasmThreads'> = {
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
    maxQueryDepth: overrides.maxQueryDepth ?? (maxDepth === undefined ? 15 : integerSetting('LAB_MAX_QUERY_DEPTH', maxDepth, 1, 1000)),
    maxQueryCost: overrides.maxQueryCost ?? (maxCost === undefined ? 1_000_000 : integerSetting('LAB_MAX_QUERY_COST', maxCost, 1, 1e9)),
  };
  const config: LabConfig = {
    ...merged,
    dataDir: resolve(merged.dataDir),
    datasetRoots: merged.datasetRoots && merged.datasetRoots.map((r) => resolve(r)),
    wasmThreads:
      overrides.wasmThreads ??
      (wasmThreads === undefined ? defaultWasmThreads(merged.maxConcurrentRuns) : integerSetting('LAB_WASM_THREADS', wasmThreads, 1, MAX_WASM_THREADS)),
    runMemoryMb:
      overrides.runMemoryMb ??
      (runMemory === undefined ? defaultRunMemoryMb(merged.backend, merged.maxConcurrentRuns) : integerSetting('LAB_RUN_MEMORY_MB', runMemory, 16, 1e9)),
    introspection: overrides.introspection ?? (introspection === undefined ? isLoopbackHost(merged.host) : booleanSetting('LAB_INTROSPECTION', introspection)),
  };
  return checkConfig(config);
}
