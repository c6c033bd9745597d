// Schema drift check for CI (npm run db:check): generates migrations from src/store/schema.ts
// into a scratch copy of migrations/ and fails when drizzle-kit would write anything new,
// i.e. when the tables changed without a committed migration.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../paths.js';
import { migrationsFolder } from './database.js';

const root = projectRoot();
mkdirSync(join(root, '.tmp'), { recursive: true });
const scratch = mkdtempSync(join(root, '.tmp', 'migration-drift-'));
try {
  cpSync(migrationsFolder(), scratch, { recursive: true });
  const before = new Set(readdirSync(scratch));
  // drizzle-kit resolves --out against the working directory, so pass it relative.
  execFileSync(
    join(root, 'node_modules', '.bin', 'drizzle-kit'),
    ['generate', '--dialect', 'sqlite', '--schema', './src/store/schema.ts', '--out', relative(root, scratch)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const added = readdirSync(scratch).filter((f) => !before.has(f));
  if (added.length) {
    console.error('src/store/schema.ts differs from migrations/: run `npm run db:generate` and commit the result. Pending SQL:');
    for (const file of added) console.error(`--- ${file}\n${readFileSync(join(scratch, file), 'utf8')}`);
    process.exitCode = 1;
  } else {
    console.log('migrations/ matches src/store/schema.ts');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
