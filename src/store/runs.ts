import { and, asc, count, desc, eq, exists, inArray, lt, notInArray, or, type SQL } from 'drizzle-orm';
import type { RunConfig } from '../training/protocol.js';
import type { LabDb } from './database.js';
import { newId } from './ids.js';
import { runs, runTags, type RunKindName, type RunStatusName } from './schema.js';

export type RunRow = typeof runs.$inferSelect;
export type RunPatch = Partial<Omit<RunRow, 'id' | 'kind' | 'datasetId' | 'createdAt'>>;

export interface NewRun {
  config: RunConfig;
  datasetId: string;
  seed: number;
  initGabRunId?: string | null;
  initGbaRunId?: string | null;
  sourceRunId?: string | null;
}

/** Stores a new QUEUED run. */
export function insertRun(db: LabDb, run: NewRun): RunRow {
  return db
    .insert(runs)
    .values({
      id: newId('run'),
      kind: run.config.kind,
      status: 'QUEUED',
      config: run.config,
      datasetId: run.datasetId,
      seed: run.seed,
      initGabRunId: run.initGabRunId ?? null,
      initGbaRunId: run.initGbaRunId ?? null,
      sourceRunId: run.sourceRunId ?? null,
      createdAt: new Date(),
    })
    .returning()
    .get();
}

export const findRun = (db: LabDb, id: string): RunRow | undefined => db.select().from(runs).where(eq(runs.id, id)).get();

export const findRuns = (db: LabDb, ids: readonly string[]): RunRow[] =>
  ids.length === 0 ? [] : db.select().from(runs).where(inArray(runs.id, [...ids])).all();

export function updateRun(db: LabDb, id: string, patch: RunPatch): RunRow | undefined {
  return db.update(runs).set(patch).where(eq(runs.id, id)).returning().get();
}

export interface RunFilter {
  kind?: RunKindName | null;
  status?: RunStatusName | null;
  datasetId?: string | null;
  tag?: string | null;
}

/** Position of a run in the newest-first listing. */
export interface RunListKey {
  createdAt: Date;
  id: string;
}

function filterCondition(db: LabDb, filter: RunFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(runs.kind, filter.kind));
  if (filter.status) conditions.push(eq(runs.status, filter.status));
  if (filter.datasetId) conditions.push(eq(runs.datasetId, filter.datasetId));
  if (filter.tag) {
    const tagged = db
      .select({ one: runTags.runId })
      .from(runTags)
      .where(and(eq(runTags.runId, runs.id), eq(runTags.tag, filter.tag)));
    conditions.push(exists(tagged));
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** Runs matching the filter, newest first, starting after `after`; at most `limit`. */
export function listRuns(db: LabDb, filter: RunFilter, limit: number, after: RunListKey | null): RunRow[] {
  const afterCondition = after
    ? or(lt(runs.createdAt, after.createdAt), and(eq(runs.createdAt, after.createdAt), lt(runs.id, after.id)))
    : undefined;
  return db
    .select()
    .from(runs)
    .where(and(filterCondition(db, filter), afterCondition))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(limit)
    .all();
}

export const countRuns = (db: LabDb, filter: RunFilter = {}): number =>
  db.select({ n: count() }).from(runs).where(filterCondition(db, filter)).get()?.n ?? 0;

/** QUEUED runs in arrival order, skipping those already handed to a worker. */
export function queuedRuns(db: LabDb, exclude: readonly string[], limit: number): RunRow[] {
  return db
    .select()
    .from(runs)
    .where(and(eq(runs.status, 'QUEUED'), exclude.length ? notInArray(runs.id, [...exclude]) : undefined))
    .orderBy(asc(runs.createdAt), asc(runs.id))
    .limit(limit)
    .all();
}

/** Marks every RUNNING run INTERRUPTED (after a crash or stop); returns their ids. */
export function interruptRunningRuns(db: LabDb): string[] {
  return db
    .update(runs)
    .set({ status: 'INTERRUPTED', finishedAt: new Date() })
    .where(eq(runs.status, 'RUNNING'))
    .returning({ id: runs.id })
    .all()
    .map((r) => r.id);
}

/** Runs that use `id` as the initialisation of one of their generators. */
export const runsInitialisedFrom = (db: LabDb, id: string): RunRow[] =>
  db
    .select()
    .from(runs)
    .where(or(eq(runs.initGabRunId, id), eq(runs.initGbaRunId, id)))
    .all();

/** EVALUATION runs of a source run. */
export const evaluationRunsOf = (db: LabDb, sourceRunId: string): RunRow[] =>
  db.select().from(runs).where(eq(runs.sourceRunId, sourceRunId)).all();

/** Deletes runs with every row that hangs off them (cascading foreign keys). */
export function deleteRuns(db: LabDb, ids: readonly string[]): void {
  if (ids.length) db.delete(runs).where(inArray(runs.id, [...ids])).run();
}
