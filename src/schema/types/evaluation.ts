import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { EvaluationRow } from '../../store/evaluations.js';
import { Comparison, Domain } from '../enums.js';

@ObjectType({ description: 'Score of one test image (SSIM), for box plots.' })
export class ImageScore {
  @Field(() => String) image!: string;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: 'One metric value computed on a checkpoint of a run.' })
export class Evaluation {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The EVALUATION run that computed it.' }) runId!: string;
  @Field(() => ID, { description: 'The run whose checkpoint was evaluated.' }) subjectRunId!: string;
  @Field(() => Int) epoch!: number;
  @Field(() => String) split!: string;
  @Field(() => String, { description: 'SSIM, FID, KID, FD, KID-ResNet50 or FD-ResNet50.' }) metric!: string;
  @Field(() => Comparison) comparison!: Comparison;
  @Field(() => Domain) domain!: Domain;
  @Field(() => Float) value!: number;
  @Field(() => Float, { nullable: true }) std!: number | null;
  @Field(() => Int, { description: 'Images the value was computed from.' }) n!: number;
  @Field(() => String, { nullable: true, description: 'Feature extractor (FID/KID/FD).' }) extractor!: string | null;
  @Field(() => String, { nullable: true }) resize!: string | null;
  @Field(() => String, { nullable: true }) warning!: string | null;
  @Field(() => DateTimeResolver) createdAt!: Date;
  /** Row id, for loading image scores. */
  rowId!: number;

  static fromRow(row: EvaluationRow): Evaluation {
    return Object.assign(new Evaluation(), {
      ...row,
      id: `ev_${row.id}`,
      rowId: row.id,
      comparison: row.comparison as Comparison,
      domain: row.domain as Domain,
    });
  }
}
