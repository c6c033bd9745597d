import { asc, eq, inArray } from 'drizzle-orm';
import type { LabDb } from './database.js';
import { runTags } from './schema.js';

/** Replaces the tags of a run (in one transaction). */
export function setRunTags(db: LabDb, runId: string, tags: readonly string[]): void {
  db.transaction((tx) => {
    tx.delete(runTags).where(eq(runTags.runId, runId)).run();
    const unique = [...new Set(tags)];
    if (unique.length) tx.insert(runTags).values(unique.map((tag) => ({ runId, tag }))).run();
  });
}

/** Tags of each of the given runs, sorted. */
export function tagsOfRuns(db: LabDb, runIds: readonly string[]): Map<string, string[]> {
  const byRun = new Map<string, string[]>(runIds.map((id) => [id, []]));
  if (!runIds.length) return byRun;
  const rows = db
    .select()
    .from(runTags)
    .where(inArray(runTags.runId, [...runIds]))
    .orderBy(asc(runTags.tag))
    .all();
  for (const row of rows) byRun.get(row.runId)?.push(row.tag);
  return byRun;
}
