// Whether the optional native TensorFlow backend is installed, for tests that skip without it.
import { initBackend } from '../../src/training/backend.js';

/** null when @tensorflow/tfjs-node(-gpu) loads, else why not (a test's skip reason). Leaves that backend active. */
export async function nativeBackendMissing(): Promise<string | null> {
  try {
    await initBackend('tensorflow');
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
