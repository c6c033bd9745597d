import { asc, count, eq } from 'drizzle-orm';
import type { LabDb } from './database.js';
import { newId } from './ids.js';
import { datasets } from './schema.js';

export type DatasetRow = typeof datasets.$inferSelect;
export type NewDataset = Omit<typeof datasets.$inferInsert, 'id' | 'createdAt'>;

export function insertDataset(db: LabDb, dataset: NewDataset): DatasetRow {
  return db
    .insert(datasets)
    .values({ id: newId('ds'), ...dataset })
    .returning()
    .get();
}

export const listDatasets = (db: LabDb): DatasetRow[] =>
  db.select().from(datasets).orderBy(asc(datasets.createdAt), asc(datasets.id)).all();

export const findDataset = (db: LabDb, id: string): DatasetRow | undefined =>
  db.select().from(datasets).where(eq(datasets.id, id)).get();

export const findDatasetByName = (db: LabDb, name: string): DatasetRow | undefined =>
  db.select().from(datasets).where(eq(datasets.name, name)).get();

export const countDatasets = (db: LabDb): number => db.select({ n: count() }).from(datasets).get()?.n ?? 0;
