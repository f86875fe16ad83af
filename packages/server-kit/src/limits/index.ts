/**
 * The request limits of every service, on every path: body and message size, tokens, depth
 * (introspection included), aliases (`__typename` included), directives and cost, for HTTP
 * (Apollo Server) and WebSocket (graphql-ws), at the gateway and in every subgraph.
 */
export { ASSUMED_LIST_SIZE, isConnectionType, operationCost, schemaCostEstimator } from './cost.ts';
export { costLimitPlugin } from './cost-plugin.ts';
export { DocumentLimits, NoServiceSdlRule } from './document-limits.ts';
export { clientAddressResolver } from './client-address.ts';
export { CLOSE_IDLE, serveGraphQLWebSocket, type WebSocketExtra } from './websocket.ts';
