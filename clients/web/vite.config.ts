import { DEMO_PASSWORD, users } from '@sky/demo-data';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const DEMO_ACCOUNTS_MODULE = 'virtual:demo-accounts';

/**
 * The sign-in page offers the demo accounts the embedded platform seeds. They come from the demo
 * dataset itself at build time (it uses Node's crypto, so the browser cannot import it directly).
 */
function demoAccounts(): Plugin {
  const resolvedId = `\0${DEMO_ACCOUNTS_MODULE}`;
  const accounts = users.map(({ email, name, roles }) => ({ email, name, roles }));
  return {
    name: 'sky-demo-accounts',
    resolveId: (id) => (id === DEMO_ACCOUNTS_MODULE ? resolvedId : undefined),
    load: (id) =>
      id === resolvedId
        ? `export const demoPassword = ${JSON.stringify(DEMO_PASSWORD)};\n` +
          `export const demoAccounts = ${JSON.stringify(accounts)};\n`
        : undefined,
  };
}

export default defineConfig({
  plugins: [react(), demoAccounts()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  // graphql-js and Apollo Client are most of the bundle; one chunk keeps the example simple.
  build: { sourcemap: true, chunkSizeWarningLimit: 800 },
});
