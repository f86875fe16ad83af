/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly VITE_GATEWAY_URL?: string;
}

declare module 'virtual:demo-accounts' {
  export const demoPassword: string;
  export const demoAccounts: { email: string; name: string; roles: string[] }[];
}
