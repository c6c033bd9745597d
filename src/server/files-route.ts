import express, { type Router } from 'express';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep, isAbsolute } from 'node:path';
import { tokenAccepted } from './auth.js';

/**
 * Serves run files (samples, checkpoints) under /files/runs/...: only regular files below
 * `${dataDir}/runs`, checked after resolving `..` and symlinks, so nothing outside leaks.
 * With LAB_API_TOKEN set, the token comes as a bearer header or a `token` query parameter
 * (for <img> tags).
 */
export function filesRoute(dataDir: string, apiToken: string | null): Router {
  const router = express.Router();
  router.get('/*path', (req, res) => {
    if (!tokenAccepted(apiToken, req.headers.authorization ?? req.query.token)) {
      res.status(401).type('text/plain').send('missing or wrong API token');
      return;
    }
    const segments = (req.params as { path: string[] }).path;
    const runsRoot = join(dataDir, 'runs');
    const candidate = join(dataDir, ...segments);
    if (!existsSync(candidate) || !existsSync(runsRoot)) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    const real = realpathSync(candidate);
    const rel = relative(realpathSync(runsRoot), real);
    if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel) || !statSync(real).isFile()) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.sendFile(real, { dotfiles: 'allow' });
  });
  return router;
}
