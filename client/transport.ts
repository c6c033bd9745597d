import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** An error returned by the server, with its extensions.code (BAD_USER_INPUT, NOT_FOUND, CONFLICT, ...). */
export class LabApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(message);
    this.name = 'LabApiError';
  }
}

export interface TransportOptions {
  /** Server base URL, e.g. http://127.0.0.1:4000 (the GraphQL endpoint is <url>/graphql). */
  url: string;
  /** Bearer token, when the server requires LAB_API_TOKEN. */
  token?: string;
  /** WebSocket implementation; Node 20 has no global WebSocket, so pass `ws`'s there. */
  webSocketImpl?: unknown;
}

/** Typed GraphQL over HTTP (queries, mutations) and graphql-ws (subscriptions). */
export class GraphQLTransport {
  readonly graphqlUrl: string;
  private ws: Client | null = null;

  constructor(private readonly options: TransportOptions) {
    if (!URL.canParse(options.url)) throw new Error(`server URL "${options.url}" is not a URL: give it with its scheme, e.g. http://127.0.0.1:4000`);
    this.graphqlUrl = new URL('/graphql', options.url).toString();
  }

  async request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      },
      body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
    }).catch((error: Error & { cause?: { code?: string } }) => {
      // fetch only says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
      const reason = error.cause?.code ?? error.cause?.toString() ?? error.message;
      throw new Error(`cannot reach the server at ${this.options.url} (${reason}): is it running (cyclegan-lab serve)?`);
    });
    let body: ExecutionResult<R>;
    try {
      body = (await response.json()) as ExecutionResult<R>;
    } catch {
      throw new LabApiError(`server answered HTTP ${response.status} without a GraphQL body`, null, []);
    }
    return unwrap(body);
  }

  /** An async iterator over a subscription's results; `return()` unsubscribes. */
  subscribe<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables?: V): AsyncIterableIterator<R> {
    const iterator = this.socket().iterate<R>({ query: print(document), variables: variables ?? {} });
    return {
      async next() {
        const result = await iterator.next();
        return result.done ? { done: true, value: undefined } : { done: false, value: unwrap(result.value as ExecutionResult<R>) };
      },
      async return() {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
    this.ws = null;
  }

  private socket(): Client {
    if (!this.ws) {
      const url = new URL('/graphql', this.options.url);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      this.ws = createClient({
        url: url.toString(),
        webSocketImpl: this.options.webSocketImpl,
        connectionParams: this.options.token ? { authorization: `Bearer ${this.options.token}` } : undefined,
        retryAttempts: 20,
        shouldRetry: () => true,
        lazy: true,
      });
    }
    return this.ws;
  }
}

function unwrap<R>(body: ExecutionResult<R>): R {
  if (body.errors?.length) {
    const first = body.errors[0];
    const code = (first.extensions?.code as string | undefined) ?? null;
    throw new LabApiError(body.errors.map((e) => e.message).join('; '), code, body.errors);
  }
  if (body.data === undefined || body.data === null) throw new LabApiError('server answered without data', null, []);
  return body.data;
}
