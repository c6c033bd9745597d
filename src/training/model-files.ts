// A LayersModel as a TF.js "layers-model" artifact on disk: model.json (topology and
// weights manifest) + weights.bin, the layout tfjs-node's file:// handler and the TF.js
// converter use. Loading goes through tf.io.getModelArtifactsForJSON + tf.loadLayersModel.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
// Custom layers must be registered before a model that uses them is deserialised.
import './layers/reflection-pad.js';
import './layers/instance-norm.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      writeFileSync(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`cannot read model ${jsonPath}: ${(err as Error).message}`);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers = manifest.flatMap((group) =>
      group.paths.map((p) => {
        const buf = readFileSync(join(dir, p));
        return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      }),
    );
    return [specs, tf.io.concatenateArrayBuffers(buffers)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Copies every weight of `from` into `to` after checking that the shapes agree one by one. */
export function copyWeights(from: tf.LayersModel, to: tf.LayersModel, what: string): void {
  const src = from.weights;
  const dst = to.weights;
  if (src.length !== dst.length) {
    throw new Error(`${what}: the source has ${src.length} weight tensors, the target ${dst.length} (architectures differ)`);
  }
  src.forEach((w, i) => {
    if (w.shape.join('x') !== dst[i].shape.join('x')) {
      throw new Error(
        `${what}: weight ${i} '${w.originalName}' has shape [${w.shape.join(',')}] in the source but [${dst[i].shape.join(',')}] in the target ('${dst[i].originalName}')`,
      );
    }
  });
  const values = src.map((w) => w.read().clone());
  to.setWeights(values);
  tf.dispose(values);
}
