import { prepareTemplateDatabases } from './databases.ts';

/** Migrates one template database per subgraph for this run; drops them when the run ends. */
export default async function setup(): Promise<() => Promise<void>> {
  return prepareTemplateDatabases();
}
