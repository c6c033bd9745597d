import type { LabDb } from '../store/database.js';
import { findDatasetByName, insertDataset } from '../store/datasets.js';
import { MNIST_DATASET_NAME, materialiseMnistDigits } from '../datasets/mnist-digits.js';
import { bundledDatasetRoot, generatedDatasetsDir } from '../paths.js';
import { inspectDatasetFolder } from './dataset-folder.js';

export const BUNDLED_DATASET_NAME = 'apple2orange-32';

/**
 * Registers the built-in datasets unless datasets of those names exist: the bundled 32x32
 * apple2orange copy (the default) and MNIST digits 3 vs 8 (a fast sanity check).
 */
export async function ensureBundledDataset(db: LabDb): Promise<void> {
  await ensureDataset(db, BUNDLED_DATASET_NAME, async () => bundledDatasetRoot());
  await ensureDataset(db, MNIST_DATASET_NAME, () => materialiseMnistDigits(generatedDatasetsDir()));
}

async function ensureDataset(db: LabDb, name: string, root: () => Promise<string>): Promise<void> {
  if (findDatasetByName(db, name)) return;
  const folder = await inspectDatasetFolder(await root(), null);
  if (findDatasetByName(db, name)) return;
  insertDataset(db, { name, ...folder, imageSize: 32 });
}
