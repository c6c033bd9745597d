// Hash routes (#/runs, #/runs/ID, #/compare?ids=a,b), so the static server needs no rewrites.
import type { RunKind, RunStatus } from '../../generated/graphql.js';
import { isRunKind, isRunStatus } from './enums.js';

export interface RunListFilter {
  kind?: RunKind;
  status?: RunStatus;
  tag?: string;
}

export type Route = { page: 'runs'; filter: RunListFilter } | { page: 'run'; id: string } | { page: 'compare'; ids: string[] };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments[0] === 'runs' && segments[1]) return { page: 'run', id: segments[1] };
  if (segments[0] === 'compare') {
    const ids = (params.get('ids') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
    return { page: 'compare', ids: [...new Set(ids)] };
  }
  const kind = params.get('kind');
  const status = params.get('status');
  const tag = params.get('tag')?.trim();
  return {
    page: 'runs',
    filter: { ...(isRunKind(kind) ? { kind } : {}), ...(isRunStatus(status) ? { status } : {}), ...(tag ? { tag } : {}) },
  };
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'run':
      return `#/runs/${encodeURIComponent(route.id)}`;
    case 'compare':
      return route.ids.length ? `#/compare?ids=${route.ids.map(encodeURIComponent).join(',')}` : '#/compare';
    case 'runs': {
      const params = new URLSearchParams(Object.entries(route.filter).filter(([, v]) => v) as [string, string][]);
      const query = params.toString();
      return query ? `#/runs?${query}` : '#/runs';
    }
  }
}
