import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class MetricPoint {
  @Field(() => Int) step!: number;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: 'An iteration-level series (e.g. a loss per step), possibly downsampled.' })
export class MetricSeries {
  @Field(() => String) name!: string;
  @Field(() => [MetricPoint]) points!: MetricPoint[];
}

@ObjectType({ description: 'One point of a live METRICS event.' })
export class NamedMetricPoint {
  @Field(() => String) name!: string;
  @Field(() => Int) step!: number;
  @Field(() => Float) value!: number;
}
