import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../paths.js';
import * as schema from './schema.js';

export type LabDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface LabDatabase {
  db: LabDb;
  /** The SQLite file. */
  file: string;
  close(): void;
}

export const migrationsFolder = (): string => join(projectRoot(), 'migrations');

/**
 * Opens (creating if needed) the lab database: WAL journal so readers never block the
 * scheduler's writes, foreign keys enforced, and every pending migration applied.
 */
export function openDatabase(file: string): LabDatabase {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsFolder() });
  return {
    db,
    file,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
