import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { api } from './api.js';

export interface SubscriptionHandlers<R> {
  next(data: R): void;
  /** The subscription failed for good (graphql-ws gave up retrying, or the server refused it). */
  error(error: unknown): void;
}

/** Follows a subscription with callbacks; returns the function that stops it. */
export function listen<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables: V,
  handlers: SubscriptionHandlers<R>,
): () => void {
  const iterator = api.subscribe(document, variables);
  let stopped = false;
  void (async () => {
    try {
      for await (const data of iterator) {
        if (stopped) break;
        handlers.next(data);
      }
    } catch (error) {
      if (!stopped) handlers.error(error);
    }
  })();
  return () => {
    stopped = true;
    void iterator.return?.();
  };
}
