import { Field, ID, InputType, Int } from 'type-graphql';
import { FeatureExtractor } from '../enums.js';

@InputType({ description: 'Evaluate a CycleGAN checkpoint: SSIM, Fréchet distance and KID per domain and comparison.' })
export class EvaluationInput {
  @Field(() => ID, { description: 'The CYCLEGAN run to evaluate.' }) runId!: string;
  @Field(() => Int, { nullable: true, description: 'Epoch of the checkpoint to evaluate (default: the latest).' }) epoch?: number | null;
  @Field(() => FeatureExtractor, { defaultValue: FeatureExtractor.RESNET50_IMAGENET }) extractor!: FeatureExtractor;
  @Field(() => Int, { nullable: true, description: 'Use the first N test images of each domain (null: all).' }) maxImages?: number | null;
  @Field(() => Int, { defaultValue: 100, description: 'KID subset size, 2 to the number of test images used.' }) kidSubsetSize!: number;
  @Field(() => Int, { defaultValue: 100, description: 'KID subsets, 1 to 10000.' }) kidSubsets!: number;
  @Field(() => Int, { nullable: true, description: 'Random seed (0 to 2^31-1); drawn and stored when omitted.' }) seed?: number | null;
  @Field(() => [String], { defaultValue: [] }) tags!: string[];
}
