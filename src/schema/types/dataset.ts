import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { DatasetRow } from '../../store/datasets.js';

@ObjectType({ description: 'Image counts per folder.' })
export class DatasetCounts {
  @Field(() => Int) trainA!: number;
  @Field(() => Int) trainB!: number;
  @Field(() => Int) testA!: number;
  @Field(() => Int) testB!: number;
}

@ObjectType({ description: 'A folder with trainA, trainB, testA and testB image folders.' })
export class Dataset {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Absolute folder on the server.' }) root!: string;
  @Field(() => Int, { nullable: true, description: 'Side of the square images; null when not square.' }) imageSize!: number | null;
  @Field(() => DatasetCounts) counts!: DatasetCounts;
  @Field(() => DateTimeResolver) createdAt!: Date;

  static fromRow(row: DatasetRow): Dataset {
    const { trainA, trainB, testA, testB, ...rest } = row;
    return Object.assign(new Dataset(), { ...rest, counts: { trainA, trainB, testA, testB } });
  }
}
