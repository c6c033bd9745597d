import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

export const dashboardDir = (): string => join(projectRoot(), 'client', 'dashboard', 'dist');

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cyclegan-lab</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>cyclegan-lab</h1>
<p>The dashboard has not been built (client/dashboard/dist is missing). The GraphQL API is at
<a href="/graphql">/graphql</a> (POST, and WebSocket subscriptions on the same path).</p>
</body></html>`;

/** The dashboard's built files at /, or a placeholder page naming the API when it is not built. */
export function dashboardRoute(): Router {
  const router = express.Router();
  const dir = dashboardDir();
  if (existsSync(join(dir, 'index.html'))) {
    router.use(express.static(dir));
  } else {
    router.get('/', (_req, res) => {
      res.type('html').send(PLACEHOLDER);
    });
  }
  return router;
}
