import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { countRuns, findRun, listRuns, type RunRow } from '../../store/runs.js';
import type { LabContext } from '../context.js';
import { decodeRunCursor, encodeRunCursor } from '../cursor.js';
import { RunFilter } from '../inputs/run-filter.js';
import { Run, RunConnection } from '../types/run.js';
import { checkInt, RUNS_PAGE_MAX } from '../validation/ranges.js';

@Resolver(() => Run)
export class RunQueryResolver {
  @Query(() => RunConnection, { description: 'Runs, newest first, as a Relay connection.' })
  runs(
    @Ctx() { db }: LabContext,
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | null,
    @Arg('first', () => Int, { defaultValue: 20, description: `1 to ${RUNS_PAGE_MAX}.` }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): RunConnection {
    checkInt('first', first, 1, RUNS_PAGE_MAX);
    const afterKey = after ? decodeRunCursor('after', after) : null;
    const storeFilter = { kind: filter?.kind, status: filter?.status, datasetId: filter?.datasetId, tag: filter?.tag };
    const rows = listRuns(db, storeFilter, first + 1, afterKey);
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({ cursor: encodeRunCursor(row), node: row as RunRow as Run }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: afterKey !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: countRuns(db, storeFilter),
    };
  }

  @Query(() => Run, { nullable: true })
  run(@Arg('id', () => ID) id: string, @Ctx() { db }: LabContext): Run | null {
    return (findRun(db, id) as Run | undefined) ?? null;
  }
}
