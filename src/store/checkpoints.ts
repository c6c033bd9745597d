import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { LabDb } from './database.js';
import { checkpoints } from './schema.js';

export type CheckpointRow = typeof checkpoints.$inferSelect;
export type NewCheckpoint = Omit<typeof checkpoints.$inferInsert, 'createdAt'>;

export function upsertCheckpoint(db: LabDb, checkpoint: NewCheckpoint): CheckpointRow {
  const { path, bytes, sha256 } = checkpoint;
  return db
    .insert(checkpoints)
    .values({ ...checkpoint, createdAt: new Date() })
    .onConflictDoUpdate({ target: [checkpoints.runId, checkpoints.epoch], set: { path, bytes, sha256, createdAt: new Date() } })
    .returning()
    .get();
}

export const listCheckpoints = (db: LabDb, runId: string): CheckpointRow[] =>
  db.select().from(checkpoints).where(eq(checkpoints.runId, runId)).orderBy(asc(checkpoints.epoch)).all();

export const latestCheckpoint = (db: LabDb, runId: string): CheckpointRow | undefined =>
  db.select().from(checkpoints).where(eq(checkpoints.runId, runId)).orderBy(desc(checkpoints.epoch)).limit(1).get();

export const checkpointAt = (db: LabDb, runId: string, epoch: number): CheckpointRow | undefined =>
  db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.runId, runId), eq(checkpoints.epoch, epoch)))
    .get();

/** Removes the checkpoint rows after `epoch` (0 removes all). */
export const deleteCheckpointsAfter = (db: LabDb, runId: string, epoch: number): void => {
  db.delete(checkpoints).where(and(eq(checkpoints.runId, runId), gt(checkpoints.epoch, epoch))).run();
};
