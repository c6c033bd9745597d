import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { DatasetFolderError, inspectDatasetFolder } from '../../server/dataset-folder.js';
import { findDataset, findDatasetByName, insertDataset, listDatasets } from '../../store/datasets.js';
import type { LabContext } from '../context.js';
import { badUserInput, conflict, shown } from '../errors.js';
import { RegisterDatasetInput } from '../inputs/dataset-input.js';
import { Dataset } from '../types/dataset.js';

const DATASET_NAME = /^[A-Za-z0-9._-]{1,64}$/;

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => [Dataset], { description: 'Registered datasets, oldest first.' })
  datasets(@Ctx() { db }: LabContext): Dataset[] {
    return listDatasets(db).map(Dataset.fromRow);
  }

  @Query(() => Dataset, { nullable: true })
  dataset(@Arg('id', () => ID) id: string, @Ctx() { db }: LabContext): Dataset | null {
    const row = findDataset(db, id);
    return row ? Dataset.fromRow(row) : null;
  }

  @Mutation(() => Dataset, { description: 'Registers a folder with trainA, trainB, testA and testB image folders.' })
  async registerDataset(@Arg('input', () => RegisterDatasetInput) input: RegisterDatasetInput, @Ctx() { db, config }: LabContext): Promise<Dataset> {
    if (!DATASET_NAME.test(input.name)) {
      throw badUserInput('name', `name must be 1 to 64 letters, digits or . _ - (got "${shown(input.name)}")`);
    }
    if (findDatasetByName(db, input.name)) throw conflict(`name: a dataset named "${input.name}" is already registered`, 'name');
    if (!input.root.trim()) throw badUserInput('root', 'root must name a folder');
    let folder;
    try {
      folder = await inspectDatasetFolder(input.root, config.datasetRoots);
    } catch (error) {
      if (error instanceof DatasetFolderError) throw badUserInput('root', `root: ${error.message}`);
      throw error;
    }
    // The name may have been taken while the folder was read.
    if (findDatasetByName(db, input.name)) throw conflict(`name: a dataset named "${input.name}" is already registered`, 'name');
    return Dataset.fromRow(insertDataset(db, { name: input.name, ...folder }));
  }
}
