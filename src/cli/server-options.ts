import type { Command } from 'commander';
import type { LabConfig } from '../config.js';
import type { BackendChoice } from '../training/protocol.js';

/** CLI flags with the names of the environment variables they override (flags win). */
export function addServerFlags(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'LAB_DATA_DIR: database, runs, caches, reports (default ./lab-data)')
    .option('--host <host>', 'HOST to bind (default 127.0.0.1)')
    .option('--port <port>', 'PORT (default 4000; 0 = any free port)')
    .option('--backend <name>', 'LAB_BACKEND: auto | tensorflow | wasm | cpu (default auto)')
    .option('--max-concurrent-runs <n>', 'LAB_MAX_CONCURRENT_RUNS (default: CPU cores)')
    .option('--wasm-threads <n>', 'LAB_WASM_THREADS: threads per run on the wasm backend, 1-8 (default: CPU cores / max concurrent runs)')
    .option('--dataset-roots <dirs>', 'LAB_DATASET_ROOTS: folders datasets may be registered from')
    .option('--api-token <token>', 'LAB_API_TOKEN: require this bearer token');
}

export interface ServerFlags {
  dataDir?: string;
  host?: string;
  port?: string;
  backend?: string;
  maxConcurrentRuns?: string;
  wasmThreads?: string;
  datasetRoots?: string;
  apiToken?: string;
}

function integerFlag(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`${flag} must be a non-negative integer (got "${raw}")`);
  return Number(raw);
}

/** Only the flags given, so loadConfig falls back to the environment for the rest. */
export function serverOverrides(flags: ServerFlags): Partial<LabConfig> {
  const o: Partial<LabConfig> = {};
  if (flags.dataDir !== undefined) o.dataDir = flags.dataDir;
  if (flags.host !== undefined) o.host = flags.host;
  if (flags.port !== undefined) o.port = integerFlag('--port', flags.port);
  if (flags.backend !== undefined) o.backend = flags.backend as BackendChoice;
  if (flags.maxConcurrentRuns !== undefined) o.maxConcurrentRuns = integerFlag('--max-concurrent-runs', flags.maxConcurrentRuns);
  if (flags.wasmThreads !== undefined) o.wasmThreads = integerFlag('--wasm-threads', flags.wasmThreads);
  if (flags.datasetRoots !== undefined) o.datasetRoots = flags.datasetRoots.split(':').filter(Boolean);
  if (flags.apiToken !== undefined) o.apiToken = flags.apiToken;
  return o;
}
