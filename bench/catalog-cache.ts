/**
 * Anonymous catalog browsing through the gateway (response cache on, its default) against the
 * same query sent straight to the catalog subgraph, in the same run, server mode (PostgreSQL,
 * Redis). Rounds alternate gateway, direct; prints each rate and the ratio, medians of the rounds.
 *   npm run bench:catalog-cache [-- --requests 1000 --concurrency 16 --rounds 3]
 * Everything (load generator, gateway, five subgraphs) shares this machine's cores: the figures
 * compare runs on the same machine, they are not a capacity claim.
 */
import { prepareTemplateDatabases, TEST_ENV } from '@sky/testkit';
import { startTestSupergraph } from '../tests/supergraph.ts';
import { load, median, numberArg } from './measure.ts';

const REQUESTS = numberArg('requests', 1000);
const CONCURRENCY = numberArg('concurrency', 16);
const ROUNDS = numberArg('rounds', 3);

const BROWSE = `query Browse {
  merchants(first: 10) {
    edges {
      node {
        id name description isOpenNow minimumOrder { amount currency }
        categories { id name }
        dishes(first: 20) { edges { node { id name price { amount currency } category { id } } } }
      }
    }
  }
}`;

const dropTemplates = await prepareTemplateDatabases();
const supergraph = await startTestSupergraph({ env: { ...TEST_ENV, LOG_LEVEL: 'warn' } });
const body = JSON.stringify({ query: BROWSE, operationName: 'Browse' });
const send = async (url: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const answer = (await response.json()) as { errors?: unknown };
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
};
try {
  const targets = { gateway: supergraph.gatewayUrl, direct: supergraph.subgraphUrls.catalog! };
  const rates: Record<keyof typeof targets, number[]> = { gateway: [], direct: [] };
  for (const url of Object.values(targets)) await load(200, CONCURRENCY, () => send(url));
  for (let round = 1; round <= ROUNDS; round++) {
    const line: string[] = [];
    for (const [name, url] of Object.entries(targets) as [keyof typeof targets, string][]) {
      const result = await load(REQUESTS, CONCURRENCY, () => send(url));
      rates[name].push(result.perSecond);
      line.push(`${name} ${result.perSecond.toFixed(0)}/s (p50 ${result.p50.toFixed(2)} ms)`);
    }
    console.log(`round ${round}: ${line.join('; ')}`);
  }
  const gateway = median(rates.gateway);
  const direct = median(rates.direct);
  console.log(
    `\nmedian of ${ROUNDS} rounds, ${REQUESTS} requests each, ${CONCURRENCY} in flight, Node ${process.version}:` +
      `\n  gateway (response cache) ${gateway.toFixed(0)}/s, catalog subgraph directly ${direct.toFixed(0)}/s,` +
      ` ratio ${(gateway / direct).toFixed(2)} (target >= 0.50)`,
  );
} finally {
  await supergraph.stop();
  await dropTemplates();
}
