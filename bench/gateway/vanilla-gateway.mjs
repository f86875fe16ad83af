// Vanilla Apollo Gateway as its documentation sets it up (and as The Guild's benchmark runs it):
// ApolloGateway over a supergraph file, ApolloServer, startStandaloneServer. Plain JavaScript run
// by plain node, so no loader is counted against it. Usage: node vanilla-gateway.mjs <supergraph> <port>
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';

const [supergraphPath, port] = process.argv.slice(2);
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(port) } });
console.log(`vanilla gateway at ${url}`);
