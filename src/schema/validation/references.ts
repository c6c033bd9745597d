import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { latestCheckpoint, type CheckpointRow } from '../../store/checkpoints.js';
import type { LabDb } from '../../store/database.js';
import { findDataset, type DatasetRow } from '../../store/datasets.js';
import { findRun, type RunRow } from '../../store/runs.js';
import type { DatasetRef } from '../../training/protocol.js';
import { conflict, notFound, shown } from '../errors.js';

/** A run reads its images from the dataset folder: refuse it up front when the folder is gone. */
export function checkDatasetFolder(field: string, dataset: DatasetRow): DatasetRow {
  if (!existsSync(dataset.root)) {
    throw conflict(`${field}: the folder of dataset "${dataset.name}" (${dataset.root}) no longer exists on the server; restore it or register the dataset again`, field);
  }
  return dataset;
}

export function requireDataset(db: LabDb, field: string, id: string): DatasetRow {
  const dataset = findDataset(db, id);
  if (!dataset) throw notFound(field, `${field}: no dataset with id "${shown(id)}" (see the datasets query)`);
  return checkDatasetFolder(field, dataset);
}

export const datasetRef = (row: DatasetRow): DatasetRef => ({ id: row.id, name: row.name, root: row.root });

export function requireRun(db: LabDb, field: string, id: string): RunRow {
  const run = findRun(db, id);
  if (!run) throw notFound(field, `${field}: no run with id "${shown(id)}"`);
  return run;
}

/** The run's newest checkpoint; CONFLICT when it has none yet. */
export function requireLatestCheckpoint(db: LabDb, field: string, run: RunRow): CheckpointRow {
  const checkpoint = latestCheckpoint(db, run.id);
  if (!checkpoint) throw conflict(`${field}: run "${run.id}" has no checkpoint yet`, field);
  return checkpoint;
}

/** Checkpoint folders are stored relative to the data dir; workers get absolute paths. */
export const checkpointDir = (dataDir: string, checkpoint: CheckpointRow): string => join(dataDir, checkpoint.path);
