import type { RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../config.js';

/** Host name of a Host header or URL authority ("[::1]:4000" -> "::1"), or null when malformed. */
function hostnameOf(authority: string | undefined): string | null {
  if (!authority) return null;
  try {
    return new URL(`http://${authority}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/**
 * Why a request may not reach a server bound to `bindHost`, or null when it may.
 * On a loopback bind the Host header must name this machine: a web page whose DNS name
 * was rebound to 127.0.0.1 arrives with its own name and is refused. (Other binds need
 * LAB_API_TOKEN on every request instead; see config.ts.)
 */
export function refusedHost(bindHost: string, req: IncomingMessage): string | null {
  if (!isLoopbackHost(bindHost)) return null;
  const hostname = hostnameOf(req.headers.host);
  return hostname !== null && isLoopbackHost(hostname) ? null : `Host "${req.headers.host ?? ''}" is not this machine: the server is bound to ${bindHost}`;
}

/**
 * Why a WebSocket upgrade may not proceed, or null when it may. Browsers send any page's
 * Origin with a WebSocket, and WebSockets are not covered by CORS, so a page on another
 * site could otherwise drive the API through the user's browser. Allowed: no Origin (not a
 * browser), an Origin on the same host and port as the request, or on a loopback bind a
 * page served from this machine (e.g. the dashboard's dev server on another port).
 */
export function refusedOrigin(bindHost: string, req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin "${origin}" is not a URL`;
  }
  if (url.host === req.headers.host) return null;
  if (isLoopbackHost(bindHost) && isLoopbackHost(url.hostname)) return null;
  return `Origin "${origin}" may not open a WebSocket to this server`;
}

/** Express middleware answering 403 to requests refusedHost refuses. */
export function hostGuard(bindHost: string): RequestHandler {
  return (req, res, next) => {
    const refusal = refusedHost(bindHost, req);
    if (refusal) res.status(403).json({ errors: [{ message: refusal, extensions: { code: 'FORBIDDEN' } }] });
    else next();
  };
}
