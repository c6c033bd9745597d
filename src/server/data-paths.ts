import { isAbsolute, join, relative, sep } from 'node:path';

/** Folder owned by a run: the worker writes checkpoints/ and samples/ below it. */
export const runDir = (dataDir: string, runId: string): string => join(dataDir, 'runs', runId);

/** Decoded training images, cached per dataset and size, shared by workers. */
export const imageCacheDir = (dataDir: string): string => join(dataDir, 'cache');

export const databaseFile = (dataDir: string): string => join(dataDir, 'lab.sqlite');

/**
 * A worker-reported path (absolute, or relative to the run folder) as a path relative to
 * the data dir with forward slashes, the form stored in the database and served under /files/.
 * Throws when it points outside the data dir.
 */
export function storedPath(dataDir: string, runFolder: string, reported: string): string {
  const absolute = isAbsolute(reported) ? reported : join(runFolder, reported);
  const rel = relative(dataDir, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`worker reported a path outside the data dir: ${reported}`);
  return rel.split(sep).join('/');
}
