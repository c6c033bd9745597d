// Feature extractors by name (EvaluationConfig.extractor).
import type { FeatureExtractorName } from '../../training/protocol.js';
import type { FeatureExtractor } from './feature-extractor.js';
import { loadInceptionV3Extractor } from './inception-v3.js';
import { loadResnet50Extractor } from './resnet50.js';

export const FEATURE_EXTRACTORS: readonly FeatureExtractorName[] = ['resnet50-imagenet', 'inception-v3'];

export async function loadFeatureExtractor(name: FeatureExtractorName, options: { inceptionWeightsDir: string | null }): Promise<FeatureExtractor> {
  switch (name) {
    case 'resnet50-imagenet':
      return loadResnet50Extractor();
    case 'inception-v3':
      return loadInceptionV3Extractor(options.inceptionWeightsDir);
    default:
      throw new Error(`unknown feature extractor '${String(name)}': allowed values are ${FEATURE_EXTRACTORS.join(', ')}`);
  }
}
