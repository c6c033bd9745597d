// The reference's 'linear' policy: the initial rate for `epochs` epochs, then a linear
// decay over `epochsDecay` more: factor 1 - max(0, e - epochs) / (epochsDecay + 1) in
// 1-based epoch e (it reaches 1/(epochsDecay+1) in the last epoch, never 0).
export function learningRateAt(epoch: number, baseLr: number, epochs: number, epochsDecay: number): number {
  return baseLr * (1 - Math.max(0, epoch - epochs) / (epochsDecay + 1));
}
