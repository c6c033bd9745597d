import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { BadImagePolicy } from '../enums.js';
import { TrainingOutputInput } from './training-output-input.js';

@InputType({ description: 'Train a CycleGAN. Defaults are the reference implementation\'s with the paper\'s 3 residual blocks.' })
export class CycleGanInput extends TrainingOutputInput {
  @Field(() => ID) datasetId!: string;
  @Field(() => Int, { defaultValue: 32, description: 'Square side, a multiple of 4 between 16 and 256.' }) imageSize!: number;
  @Field(() => Int, { defaultValue: 64, description: 'Generator filters of the first layer, 1 to 256.' }) ngf!: number;
  @Field(() => Int, { defaultValue: 3, description: 'Generator residual blocks, 1 to 12.' }) nBlocks!: number;
  @Field(() => Int, { defaultValue: 64, description: 'Discriminator filters of the first layer, 1 to 256.' }) ndf!: number;
  @Field(() => Int, { defaultValue: 3, description: 'Discriminator strided layers, 1 to 5 (fewer for small images).' }) nLayers!: number;
  @Field(() => Int, { defaultValue: 15, description: 'Epochs at the initial learning rate, 1 to 10000.' }) epochs!: number;
  @Field(() => Int, { defaultValue: 0, description: 'Epochs of linear decay to 0 afterwards, 0 to 10000.' }) epochsDecay!: number;
  @Field(() => Float, { defaultValue: 2e-4, description: 'Adam learning rate, greater than 0 and at most 1.' }) learningRate!: number;
  @Field(() => Float, { defaultValue: 0.5, description: 'Adam beta1, 0 to less than 1.' }) beta1!: number;
  @Field(() => Float, { defaultValue: 0.999, description: 'Adam beta2, 0 to less than 1.' }) beta2!: number;
  @Field(() => Float, { defaultValue: 10, description: 'Cycle-consistency weight, 0 to 1000.' }) lambdaCycle!: number;
  @Field(() => Float, { defaultValue: 0.5, description: 'Identity weight as a fraction of lambdaCycle, 0 to 10.' }) lambdaIdentity!: number;
  @Field(() => Int, { defaultValue: 50, description: 'Image pool of past fakes, 0 to 1000 (0: no pool).' }) poolSize!: number;
  @Field(() => Int, { defaultValue: 1, description: '1 to 64.' }) batchSize!: number;
  @Field(() => Int, { nullable: true, description: 'Random seed (0 to 2^31-1); drawn and stored when omitted.' }) seed?: number | null;
  @Field(() => Int, { nullable: true, description: 'Use only the first N training images of each domain (null: all).' })
  maxTrainImages?: number | null;
  @Field(() => BadImagePolicy, { defaultValue: BadImagePolicy.FAIL }) onBadImage!: BadImagePolicy;
  @Field(() => ID, {
    nullable: true,
    description: 'A SUCCEEDED AE/VAE run trained on domain A: initialises G_BA (which outputs A). Null: random.',
  })
  initA?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'A SUCCEEDED AE/VAE run trained on domain B: initialises G_AB (which outputs B). Null: random.',
  })
  initB?: string | null;
  @Field(() => [String], { defaultValue: [] }) tags!: string[];
}
