// The project runs on the Node release named in package.json `engines` (Node 24 LTS). Machines
// whose system Node is older still run every npm script on 24, because the npm package `node`
// (a dev dependency) puts its binary first on the PATH of npm scripts; a command started some
// other way (`/usr/bin/node ...`, an editor's test runner) would silently test another runtime,
// so the test run calls this first and stops with the reason.
//   node scripts/require-node.mjs     (exits 1 on an older Node)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packageJson = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
);
const engines = packageJson.engines?.node ?? '';

/** `[major, minor, patch]` of a version such as `v24.21.0` or `24.11`. */
const parts = (version) => [...version.replace(/^v/, '').split('.').map(Number), 0, 0].slice(0, 3);

/** Throws unless this Node satisfies `engines.node` (written as `>=MAJOR[.MINOR[.PATCH]]`). */
export function requireSupportedNode() {
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(engines.trim());
  if (!match) throw new Error(`package.json engines.node must read ">=x.y.z", not "${engines}"`);
  const wanted = parts(match[1]);
  const actual = parts(process.version);
  const order = actual.map((part, i) => part - wanted[i]).find((difference) => difference !== 0);
  if (order !== undefined && order < 0) {
    throw new Error(
      `This is Node ${process.version} (${process.execPath}); the project needs Node ${engines}. ` +
        'Run it through npm (npm test, npm run ..., npx vitest), which puts the Node of the ' +
        '`node` dev dependency (node_modules/.bin/node) first on the PATH.',
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    requireSupportedNode();
    console.log(`Node ${process.version} (${process.execPath}) satisfies ${engines}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
