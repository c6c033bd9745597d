import { and, asc, eq, gt } from 'drizzle-orm';
import type { LabDb } from './database.js';
import { epochs } from './schema.js';

export type EpochRow = typeof epochs.$inferSelect;
export type NewEpoch = Omit<typeof epochs.$inferInsert, 'createdAt'>;

/** Stores an epoch's summary; an epoch posted again (after a resume) replaces the old row. */
export function upsertEpoch(db: LabDb, epoch: NewEpoch): EpochRow {
  const { runId: _runId, epoch: _epoch, ...values } = epoch;
  return db
    .insert(epochs)
    .values({ ...epoch, createdAt: new Date() })
    .onConflictDoUpdate({ target: [epochs.runId, epochs.epoch], set: { ...values, createdAt: new Date() } })
    .returning()
    .get();
}

export const listEpochs = (db: LabDb, runId: string): EpochRow[] =>
  db.select().from(epochs).where(eq(epochs.runId, runId)).orderBy(asc(epochs.epoch)).all();

/** Removes epochs after `epoch` (0 removes all): a resumed run posts them again. */
export const deleteEpochsAfter = (db: LabDb, runId: string, epoch: number): void => {
  db.delete(epochs).where(and(eq(epochs.runId, runId), gt(epochs.epoch, epoch))).run();
};
