import { prepareTemplateDatabases } from './databases.ts';

export default async function setup(): Promise<void> {
  await prepareTemplateDatabases();
}
