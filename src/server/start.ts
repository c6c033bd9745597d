import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { specifiedRules, validate, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { loadConfig, type LabConfig } from '../config.js';
import type { LabContext } from '../schema/context.js';
import { buildLabSchema } from '../schema/build-schema.js';
import { unauthenticated } from '../schema/errors.js';
import { openDatabase, type LabDb } from '../store/database.js';
import { interruptRunningRuns } from '../store/runs.js';
import { tokenAccepted } from './auth.js';
import { ensureBundledDataset } from './bundled-dataset.js';
import { dashboardRoute } from './dashboard-route.js';
import { databaseFile } from './data-paths.js';
import { maskError } from './error-masking.js';
import { filesRoute } from './files-route.js';
import { jsonErrorHandler } from './http-errors.js';
import { noIntrospectionRule } from './introspection-rule.js';
import { queryLimitsRule } from './query-limits.js';
import { hostGuard, refusedHost, refusedOrigin } from './request-origin.js';
import { RunEventBus } from './run-event-bus.js';
import { Scheduler, type WorkerEntry } from './scheduler.js';

export interface StartServerOptions extends Partial<LabConfig> {
  /** Worker script(s) for runs (default: src/training/worker.js). Tests inject their own. */
  workerEntry?: WorkerEntry;
  /** Close gracefully on SIGINT/SIGTERM, then re-raise the signal (default true). */
  handleSignals?: boolean;
  /** How long a cancelled worker may take to stop before it is terminated (default 10 s). */
  cancelGraceMs?: number;
  /** Environment to read settings from (default process.env); explicit options win. */
  env?: NodeJS.ProcessEnv;
}

export interface LabServer {
  /** http://host:port */
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  port: number;
  config: LabConfig;
  scheduler: Scheduler;
  db: LabDb;
  /** Stops accepting requests, interrupts running runs (resumable), closes the database. */
  close(): Promise<void>;
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Largest HTTP request body and WebSocket message. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Starts the lab: applies migrations, marks runs left RUNNING as INTERRUPTED, registers
 * the bundled dataset, starts the scheduler and serves GraphQL (HTTP and WebSocket on
 * /graphql), the dashboard (/), run files (/files/runs/...) and /healthz.
 */
export async function startServer(options: StartServerOptions = {}): Promise<LabServer> {
  const { workerEntry, handleSignals = true, cancelGraceMs, env, ...overrides } = options;
  const config = loadConfig(overrides, env);
  const database = openDatabase(databaseFile(config.dataDir));
  const { db } = database;
  try {
    interruptRunningRuns(db);
    await ensureBundledDataset(db);
  } catch (error) {
    database.close();
    throw error;
  }

  const events = new RunEventBus();
  const scheduler = new Scheduler({
    db,
    dataDir: config.dataDir,
    backend: config.backend,
    maxConcurrentRuns: config.maxConcurrentRuns,
    wasmThreads: config.wasmThreads,
    runMemoryMb: config.runMemoryMb,
    events,
    workerEntry,
    cancelGraceMs,
  });
  const schema = await buildLabSchema(events);

  // Beyond graphql's own rules, on both transports: depth and cost limits, and no
  // introspection unless LAB_INTROSPECTION allows it.
  const extraRules: ValidationRule[] = [
    queryLimitsRule({ maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost }),
    ...(config.introspection ? [] : [noIntrospectionRule]),
  ];

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  // noServer + our own upgrade routing: attached with `server`, ws re-emits the HTTP server's
  // errors (EADDRINUSE) and graphql-ws logs them as an internal error with a stack trace.
  const wsServer = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      const refusal = refusedHost(config.host, req) ?? refusedOrigin(config.host, req);
      if (refusal) done(false, 403, refusal);
      else done(true);
    },
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  });
  let fallbackBaseUrl = '';
  const baseUrlOf = (req: IncomingMessage): string => (req.headers.host ? `http://${req.headers.host}` : fallbackBaseUrl);
  const contextFor = (req: IncomingMessage): LabContext => ({ db, config, scheduler, events, baseUrl: baseUrlOf(req) });

  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema,
      validate: (validationSchema, document) => validate(validationSchema, document, [...specifiedRules, ...extraRules]),
      context: (ctx) => contextFor(ctx.extra.request),
      onConnect: (ctx) => tokenAccepted(config.apiToken, ctx.connectionParams?.authorization ?? ctx.extra.request.headers.authorization),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => maskError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => maskError(e.toJSON(), e)),
    },
    wsServer,
  );

  const apollo = new ApolloServer<LabContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: maskError,
    // Introspection is refused by noIntrospectionRule (extraRules), the same on both transports.
    introspection: true,
    // Without introspection, "did you mean" hints would leak field names.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    validationRules: extraRules,
    // Our own handler stops the scheduler and the database too (see onSignal).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
    ],
  });
  await apollo.start();

  app.use(hostGuard(config.host));
  // Liveness for probes; the run count only for callers with the token.
  app.get('/healthz', (req, res) => {
    res.json(tokenAccepted(config.apiToken, req.headers.authorization) ? { ok: true, runningRuns: scheduler.runningCount } : { ok: true });
  });
  app.use('/files', filesRoute(config.dataDir, config.apiToken));
  app.use(
    '/graphql',
    express.json({ limit: MAX_MESSAGE_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        if (!tokenAccepted(config.apiToken, req.headers.authorization)) throw unauthenticated();
        return contextFor(req);
      },
    }),
  );
  app.use(dashboardRoute());
  app.use(jsonErrorHandler);

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await apollo.stop();
    database.close();
    throw new Error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}${(error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (another process uses the port: choose one with PORT or --port)' : ''}`);
  }
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${urlHost(config.host)}:${port}`;
  fallbackBaseUrl = url;
  scheduler.wake();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      removeSignalHandlers();
      await apollo.stop();
      await scheduler.shutdown();
      events.close();
      database.close();
    })());

  const onSignal = (signal: NodeJS.Signals): void => {
    void close().finally(() => process.kill(process.pid, signal));
  };
  const removeSignalHandlers = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  if (handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `ws://${urlHost(config.host)}:${port}/graphql`,
    port,
    config,
    scheduler,
    db,
    close,
  };
}
