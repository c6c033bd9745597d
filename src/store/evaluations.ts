import { asc, eq, inArray, or } from 'drizzle-orm';
import type { EvaluationValue } from '../training/protocol.js';
import type { LabDb } from './database.js';
import { evaluations, imageScores } from './schema.js';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type ImageScoreRow = typeof imageScores.$inferSelect;

export interface EvaluationBatch {
  /** The EVALUATION run that computed the values. */
  runId: string;
  /** The run whose checkpoint was evaluated. */
  subjectRunId: string;
  epoch: number;
  split: string;
  values: readonly EvaluationValue[];
}

/** Stores one evaluation message (values and their per-image scores) in one transaction. */
export function insertEvaluations(db: LabDb, batch: EvaluationBatch): EvaluationRow[] {
  return db.transaction(() =>
    batch.values.map((v) => {
      const row = db
        .insert(evaluations)
        .values({
          runId: batch.runId,
          subjectRunId: batch.subjectRunId,
          epoch: batch.epoch,
          split: batch.split,
          metric: v.metric,
          comparison: v.comparison,
          domain: v.domain,
          value: v.value,
          std: v.std,
          n: v.n,
          extractor: v.extractor,
          resize: v.resize,
          warning: v.warning,
          createdAt: new Date(),
        })
        .returning()
        .get();
      if (v.imageScores?.length) {
        db.insert(imageScores)
          .values(v.imageScores.map((s) => ({ evaluationId: row.id, image: s.image, value: s.value })))
          .run();
      }
      return row;
    }),
  );
}

/** Evaluations a run produced (EVALUATION runs) or that were computed on it (source runs), oldest first. */
export const evaluationsOfRuns = (db: LabDb, runIds: readonly string[]): EvaluationRow[] =>
  runIds.length === 0
    ? []
    : db
        .select()
        .from(evaluations)
        .where(or(inArray(evaluations.runId, [...runIds]), inArray(evaluations.subjectRunId, [...runIds])))
        .orderBy(asc(evaluations.id))
        .all();

export const deleteEvaluationsOfRun = (db: LabDb, runId: string): void => {
  db.delete(evaluations).where(eq(evaluations.runId, runId)).run();
};

export function imageScoresOf(db: LabDb, evaluationIds: readonly number[]): Map<number, ImageScoreRow[]> {
  const byEvaluation = new Map<number, ImageScoreRow[]>(evaluationIds.map((id) => [id, []]));
  if (!evaluationIds.length) return byEvaluation;
  const rows = db
    .select()
    .from(imageScores)
    .where(inArray(imageScores.evaluationId, [...evaluationIds]))
    .orderBy(asc(imageScores.evaluationId), asc(imageScores.image))
    .all();
  for (const row of rows) byEvaluation.get(row.evaluationId)?.push(row);
  return byEvaluation;
}
