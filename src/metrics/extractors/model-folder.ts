// Reads and writes TF.js layers models (model.json + weight shards) in a local folder with
// plain @tensorflow/tfjs: tf.io.fileSystem exists only in tfjs-node, which may be absent.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

function readModelJson(dir: string): ModelJson {
  const path = join(dir, MODEL_JSON);
  if (!existsSync(path)) throw new Error(`no ${MODEL_JSON} in ${dir}`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${path} is not a TF.js layers model (needs modelTopology and weightsManifest)`);
  }
  return json;
}

/** An IOHandler that loads `dir/model.json` and its shards, or saves a model there (one shard). */
export function modelFolder(dir: string): Required<Pick<tf.io.IOHandler, 'load' | 'save'>> {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = readModelJson(dir);
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        weightSpecs.push(...group.weights);
        for (const shard of group.paths) {
          const path = join(dir, shard);
          if (!existsSync(path)) throw new Error(`weight shard ${shard} listed in ${join(dir, MODEL_JSON)} is missing`);
          buffers.push(readFileSync(path));
        }
      }
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      };
    },
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (!(artifacts.modelTopology && artifacts.weightSpecs && artifacts.weightData)) {
        throw new Error('modelFolder.save: only layers models with weights can be saved');
      }
      const weights = new Uint8Array(tf.io.concatenateArrayBuffers(([] as ArrayBuffer[]).concat(artifacts.weightData)));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, WEIGHTS_FILE), weights);
      const json: ModelJson = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
      };
      writeFileSync(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    },
  };
}
