import type { LabDb } from '../store/database.js';
import { findDatasetByName, insertDataset } from '../store/datasets.js';
import { bundledDatasetRoot } from '../paths.js';
import { inspectDatasetFolder } from './dataset-folder.js';

export const BUNDLED_DATASET_NAME = 'apple2orange-32';

/** Registers the bundled 32x32 apple2orange copy unless a dataset of that name exists. */
export async function ensureBundledDataset(db: LabDb): Promise<void> {
  if (findDatasetByName(db, BUNDLED_DATASET_NAME)) return;
  const folder = await inspectDatasetFolder(bundledDatasetRoot(), null);
  if (findDatasetByName(db, BUNDLED_DATASET_NAME)) return;
  insertDataset(db, { name: BUNDLED_DATASET_NAME, ...folder, imageSize: 32 });
}
