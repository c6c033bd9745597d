// Public entry of the cyclegan-lab client (package export "cyclegan-lab/client").
export { LabClient, isTerminal, type RunEvent, type RunResults, type RunState } from './lab-client.js';
export { GraphQLTransport, LabApiError, type TransportOptions } from './transport.js';
export * from './generated/graphql.js';
