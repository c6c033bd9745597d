import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { evaluationsOfRuns, type EvaluationRow } from '../../store/evaluations.js';
import type { LabContext } from '../context.js';
import { Comparison, Domain } from '../enums.js';
import { badUserInput } from '../errors.js';
import { ComparisonRow } from '../types/comparison.js';
import { requireRun } from '../validation/references.js';

const COMPARISON_ORDER = [Comparison.REAL_VS_FAKE, Comparison.REC_VS_FAKE, Comparison.REAL_VS_REC];

@Resolver(() => ComparisonRow)
export class ComparisonResolver {
  @Query(() => [ComparisonRow], {
    description:
      'Paper-style table cells for the given runs (CycleGAN runs, or their EVALUATION runs): the newest value per ' +
      'metric, comparison, domain and extractor, ordered by metric, comparison, domain, then runIds as given.',
  })
  comparison(@Arg('runIds', () => [ID]) runIds: string[], @Ctx() { db }: LabContext): ComparisonRow[] {
    if (runIds.length < 1 || runIds.length > 50) throw badUserInput('runIds', `runIds must list 1 to 50 runs (got ${runIds.length})`);
    const runs = runIds.map((id, i) => requireRun(db, `runIds[${i}]`, id));
    const evaluations = evaluationsOfRuns(db, runIds);
    const cells: ComparisonRow[] = [];
    for (const run of runs) {
      const own = evaluations.filter((e) => (run.kind === 'EVALUATION' ? e.runId === run.id : e.subjectRunId === run.id));
      const newest = new Map<string, EvaluationRow>();
      for (const e of own) newest.set(`${e.metric}|${e.comparison}|${e.domain}|${e.extractor ?? ''}`, e);
      for (const e of newest.values()) {
        cells.push(
          Object.assign(new ComparisonRow(), {
            metric: e.metric,
            comparison: e.comparison as Comparison,
            domain: e.domain as Domain,
            runId: run.id,
            evaluationRunId: e.runId,
            epoch: e.epoch,
            value: e.value,
            std: e.std,
            n: e.n,
            extractor: e.extractor,
            warning: e.warning,
          }),
        );
      }
    }
    const columnOf = (row: ComparisonRow): number => runIds.indexOf(row.runId);
    return cells.sort(
      (a, b) =>
        a.metric.localeCompare(b.metric) ||
        COMPARISON_ORDER.indexOf(a.comparison) - COMPARISON_ORDER.indexOf(b.comparison) ||
        a.domain.localeCompare(b.domain) ||
        columnOf(a) - columnOf(b) ||
        (a.extractor ?? '').localeCompare(b.extractor ?? ''),
    );
  }
}
