import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, isAbsolute, sep } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { shown } from '../schema/errors.js';

export const DATASET_FOLDERS = ['trainA', 'trainB', 'testA', 'testB'] as const;
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp']);

export interface DatasetFolder {
  /** Absolute root with symlinks and `..` resolved. */
  root: string;
  imageSize: number | null;
  trainA: number;
  trainB: number;
  testA: number;
  testB: number;
}

/** A problem with a dataset folder, worded for the user (the caller adds the field name). */
export class DatasetFolderError extends Error {}

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !isAbsolute(rel));
};

const imageFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();

/**
 * Checks that `root` holds the four image folders, each with at least one image, and
 * (when `allowedRoots` is given) that it lies below one of them once symlinks are resolved.
 */
export async function inspectDatasetFolder(root: string, allowedRoots: readonly string[] | null): Promise<DatasetFolder> {
  if (!existsSync(root)) throw new DatasetFolderError(`folder "${shown(root)}" does not exist on the server`);
  const real = realpathSync(root);
  if (!statSync(real).isDirectory()) throw new DatasetFolderError(`"${shown(root)}" is not a folder`);
  if (allowedRoots) {
    const allowed = allowedRoots.filter((r) => existsSync(r)).map((r) => realpathSync(r));
    if (!allowed.some((a) => isInside(a, real))) {
      throw new DatasetFolderError(`"${shown(root)}" (${real}) is not inside an allowed dataset root (LAB_DATASET_ROOTS: ${allowedRoots.join(', ')})`);
    }
  }
  const counts = {} as Record<(typeof DATASET_FOLDERS)[number], number>;
  for (const name of DATASET_FOLDERS) {
    const folder = join(real, name);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new DatasetFolderError(`"${shown(root)}" has no ${name} folder (needs ${DATASET_FOLDERS.join(', ')})`);
    }
    counts[name] = imageFiles(folder).length;
    if (counts[name] === 0) throw new DatasetFolderError(`${join(root, name)} holds no images (${[...IMAGE_EXTENSIONS].join(' ')})`);
  }
  const first = join(real, 'trainA', imageFiles(join(real, 'trainA'))[0]);
  let meta: Metadata;
  try {
    meta = await sharp(first).metadata();
  } catch (error) {
    throw new DatasetFolderError(`cannot read image ${first}: ${(error as Error).message}`);
  }
  const imageSize = meta.width !== undefined && meta.width === meta.height ? meta.width : null;
  return { root: real, imageSize, ...counts };
}
