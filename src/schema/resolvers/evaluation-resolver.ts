import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { imageScoresOf } from '../../store/evaluations.js';
import type { LabContext } from '../context.js';
import { Evaluation, ImageScore } from '../types/evaluation.js';

@Resolver(() => Evaluation)
export class EvaluationResolver {
  @FieldResolver(() => [ImageScore], { description: 'Per-image scores (SSIM only), for box plots.' })
  imageScores(@Root() evaluation: Evaluation, @Ctx() { db }: LabContext): ImageScore[] {
    return (imageScoresOf(db, [evaluation.rowId]).get(evaluation.rowId) ?? []).map(({ image, value }) => ({ image, value }));
  }
}
