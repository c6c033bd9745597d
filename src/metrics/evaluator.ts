import type { RunContext } from '../training/protocol.js';

/** Evaluates a CycleGAN checkpoint on the test split (SSIM, FD/FID, KID). */
export async function runEvaluation(_ctx: RunContext): Promise<void> {
  throw new Error('runEvaluation: not implemented yet');
}
