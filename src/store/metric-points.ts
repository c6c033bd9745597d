import { asc, eq, sql } from 'drizzle-orm';
import type { LabDb } from './database.js';
import { metricPoints } from './schema.js';

export interface MetricPoint {
  step: number;
  value: number;
}

export interface SeriesQuery {
  names?: readonly string[] | null;
  fromStep?: number | null;
  toStep?: number | null;
  /** Per series; longer series are averaged into this many equal step buckets. */
  maxPoints: number;
}

/** Stores iteration-level points; a step posted again (after a resume) replaces the old value. */
export function upsertMetricPoints(db: LabDb, runId: string, points: readonly { step: number; name: string; value: number }[]): void {
  if (!points.length) return;
  db.transaction(() => {
    for (const p of points) {
      db.insert(metricPoints)
        .values({ runId, name: p.name, step: p.step, value: p.value })
        .onConflictDoUpdate({ target: [metricPoints.runId, metricPoints.name, metricPoints.step], set: { value: p.value } })
        .run();
    }
  });
}

export function metricNames(db: LabDb, runId: string): string[] {
  return db
    .selectDistinct({ name: metricPoints.name })
    .from(metricPoints)
    .where(eq(metricPoints.runId, runId))
    .orderBy(asc(metricPoints.name))
    .all()
    .map((r) => r.name);
}

/**
 * Series by name in step order. A series with more than maxPoints points in the range is
 * downsampled in SQL: steps are cut into maxPoints equal buckets, each giving the mean value
 * at the bucket's last step.
 */
export function readMetricSeries(db: LabDb, runId: string, query: SeriesQuery): Map<string, MetricPoint[]> {
  const conditions = [sql`run_id = ${runId}`];
  if (query.fromStep != null) conditions.push(sql`step >= ${query.fromStep}`);
  if (query.toStep != null) conditions.push(sql`step <= ${query.toStep}`);
  if (query.names) {
    if (!query.names.length) return new Map();
    conditions.push(sql`name in (${sql.join(query.names.map((n) => sql`${n}`), sql`, `)})`);
  }
  const max = query.maxPoints;
  const rows = db.all<{ name: string; step: number; value: number }>(sql`
    with pts as (select name, step, value from metric_points where ${sql.join(conditions, sql` and `)}),
         span as (select name, min(step) as lo, max(step) as hi, count(*) as c from pts group by name)
    select p.name as name, max(p.step) as step, avg(p.value) as value
    from pts p join span s on s.name = p.name
    group by p.name, case when s.c <= ${max} then p.step else cast(((p.step - s.lo) * ${max}) / (s.hi - s.lo + 1) as integer) end
    order by p.name, step`);
  const series = new Map<string, MetricPoint[]>();
  for (const row of rows) {
    let points = series.get(row.name);
    if (!points) series.set(row.name, (points = []));
    points.push({ step: row.step, value: row.value });
  }
  return series;
}

export const deleteMetricPoints = (db: LabDb, runId: string): void => {
  db.delete(metricPoints).where(eq(metricPoints.runId, runId)).run();
};
