// Sample PNGs of the fixed test images, one folder per epoch under runDir/samples/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Domain, SampleKind, WorkerMessage } from './protocol.js';

export type SampleMessage = Extract<WorkerMessage, { type: 'sample' }>;

export interface SampleImage {
  domain: Domain;
  kind: SampleKind;
  index: number;
  /** File name of the real test image. */
  image: string;
  pixels: Uint8Array;
}

export async function writeSamples(runDir: string, epoch: number, size: number, images: SampleImage[]): Promise<SampleMessage[]> {
  const dir = join(runDir, 'samples', `epoch-${String(epoch).padStart(4, '0')}`);
  mkdirSync(dir, { recursive: true });
  const messages: SampleMessage[] = [];
  for (const s of images) {
    const path = join(dir, `${s.domain}-${String(s.index).padStart(2, '0')}-${s.kind}.png`);
    await sharp(Buffer.from(s.pixels), { raw: { width: size, height: size, channels: 3 } }).png().toFile(path);
    messages.push({ type: 'sample', epoch, domain: s.domain, kind: s.kind, index: s.index, image: s.image, path });
  }
  return messages;
}
