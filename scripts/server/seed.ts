/**
 * `npm run seed`: the demo dataset (the README's demo accounts, merchants, menus and orders) in
 * server mode, written by each subgraph's own seeding code into its own database as its own role,
 * as the embedded mode does on first start. A database that already holds data is left alone, so
 * a second run changes nothing. Needs `npm run server:setup` first; the services may be running.
 */
import { runMain } from '@sky/config';
import { seedSubgraphDemoData } from '@sky/embedded';
import {
  defaultPort,
  directAddresses,
  loadServerSettings,
  serviceEnv,
  SUBGRAPHS,
} from './settings.ts';

await runMain(async () => {
  const settings = loadServerSettings();
  for (const subgraph of SUBGRAPHS) {
    const env = {
      ...serviceEnv(settings, subgraph, defaultPort(settings, subgraph), directAddresses(settings)),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    const seeded = await seedSubgraphDemoData(subgraph, env);
    console.log(`${subgraph}: ${seeded ? 'demo data written' : 'already holds data, left alone'}`);
  }
});
