// The dashboard's one connection to the server it was loaded from.
import { GraphQLTransport } from '../../transport.js';
import { TrackedWebSocket } from './connection.js';
import { storedToken } from './token.js';

export const api = new GraphQLTransport({ url: location.origin, token: storedToken(), webSocketImpl: TrackedWebSocket });
