/**
 * The benchmark's four subgraphs (accounts, inventory, products, reviews) with the shapes and
 * resolvers of The Guild's Rust subgraphs, on one port under `/<name>` as there. Run as its own
 * process (`node --import tsx bench/gateway/subgraphs.ts <port>`), so that the gateway measured
 * shares nothing with them but the machine. The server is deliberately thin (node:http, each
 * distinct document parsed and validated once) so the gateways, not the subgraphs, are measured.
 * `GET /counts` answers how many requests each subgraph has served.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createServer } from 'node:http';
import { IN_STOCK, PRODUCTS, REVIEWS, USERS, type Review } from './data.ts';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides"])`;

const accounts = buildSubgraphSchema([
  {
    typeDefs: parse(`${FEDERATION}
    type Query { me: User user(id: ID!): User users: [User] }
    type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }
  `),
    resolvers: {
      Query: {
        me: () => USERS[0],
        user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null,
        users: () => USERS,
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => USERS.find((u) => u.id === id),
      },
    },
  },
]);

const inventory = buildSubgraphSchema([
  {
    typeDefs: parse(`${FEDERATION}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }
  `),
    resolvers: {
      Product: {
        // As in the Rust original: the row is the subgraph's own (no price or weight), so the
        // estimate is always null.
        __resolveReference: ({ upc }: { upc: string }) => ({
          upc,
          inStock: IN_STOCK[upc],
          price: null,
          weight: null,
        }),
        shippingEstimate: ({ price, weight }: { price: number | null; weight: number | null }) => {
          if (price === null) return null;
          if (price > 1000) return 0;
          return weight === null ? null : Math.floor(weight / 2);
        },
      },
    },
  },
]);

const products = buildSubgraphSchema([
  {
    typeDefs: parse(`${FEDERATION}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int @shareable weight: Int @shareable }
  `),
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => PRODUCTS.find((p) => p.upc === upc),
      },
    },
  },
]);

const firstTwoReviews = () => REVIEWS.slice(0, 2);
const reviews = buildSubgraphSchema([
  {
    typeDefs: parse(`${FEDERATION}
    type Review @key(fields: "id") {
      id: ID!
      body: String
      product: Product
      author: User @provides(fields: "username")
    }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }
  `),
    resolvers: {
      Review: {
        __resolveReference: ({ id }: { id: string }) => REVIEWS.find((r) => r.id === id),
        product: (review: Review) => ({ upc: review.productUpc }),
        author: () => ({ id: '1', username: 'urigo', reviews: firstTwoReviews() }),
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => ({
          id,
          username: 'user',
          reviews: firstTwoReviews(),
        }),
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
        reviews: ({ upc }: { upc: string }) => REVIEWS.filter((r) => r.productUpc === upc),
      },
    },
  },
]);

export const SUBGRAPHS: Record<string, GraphQLSchema> = { accounts, inventory, products, reviews };

/** Serves the four subgraphs on `port` until the process ends. */
export function serveSubgraphs(port: number) {
  const counts: Record<string, number> = Object.fromEntries(
    Object.keys(SUBGRAPHS).map((name) => [name, 0]),
  );
  const documents = new Map<string, DocumentNode>();
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/counts') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(counts));
      return;
    }
    const name = req.url?.slice(1) ?? '';
    const schema = SUBGRAPHS[name];
    if (req.method !== 'POST' || !schema) {
      res.statusCode = 404;
      res.end();
      return;
    }
    counts[name]!++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString());
      const key = `${name}\n${query}`;
      let document = documents.get(key);
      if (!document) {
        document = parse(query);
        const errors = validate(schema, document);
        if (errors.length > 0) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ errors }));
          return;
        }
        documents.set(key, document);
      }
      const result = await execute({
        schema,
        document,
        variableValues: variables,
        operationName,
      });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

if (process.argv[1] === import.meta.filename) {
  const port = Number(process.argv[2] ?? 4200);
  await serveSubgraphs(port);
  process.send?.('ready');
  console.log(`subgraphs on http://127.0.0.1:${port}/{accounts,inventory,products,reviews}`);
}
