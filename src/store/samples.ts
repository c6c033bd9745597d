import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { LabDb } from './database.js';
import { samples } from './schema.js';

export type SampleRow = typeof samples.$inferSelect;
export type NewSample = Omit<typeof samples.$inferInsert, 'createdAt'>;

export function upsertSample(db: LabDb, sample: NewSample): SampleRow {
  return db
    .insert(samples)
    .values({ ...sample, createdAt: new Date() })
    .onConflictDoUpdate({
      target: [samples.runId, samples.epoch, samples.domain, samples.kind, samples.index],
      set: { image: sample.image, path: sample.path, createdAt: new Date() },
    })
    .returning()
    .get();
}

/** The latest epoch that has samples, or null. */
export function latestSampleEpoch(db: LabDb, runId: string): number | null {
  const row = db
    .select({ epoch: samples.epoch })
    .from(samples)
    .where(eq(samples.runId, runId))
    .orderBy(desc(samples.epoch))
    .limit(1)
    .get();
  return row?.epoch ?? null;
}

export const listSamples = (db: LabDb, runId: string, epoch: number): SampleRow[] =>
  db
    .select()
    .from(samples)
    .where(and(eq(samples.runId, runId), eq(samples.epoch, epoch)))
    .orderBy(asc(samples.domain), asc(samples.index), asc(samples.kind))
    .all();

export const deleteSamplesAfter = (db: LabDb, runId: string, epoch: number): void => {
  db.delete(samples).where(and(eq(samples.runId, runId), gt(samples.epoch, epoch))).run();
};

export const sampleEpochs = (db: LabDb, runId: string): number[] =>
  db
    .selectDistinct({ epoch: samples.epoch })
    .from(samples)
    .where(eq(samples.runId, runId))
    .orderBy(asc(samples.epoch))
    .all()
    .map((r) => r.epoch);
