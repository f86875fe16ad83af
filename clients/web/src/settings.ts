/**
 * Where the gateway is: `?gateway=<url>` in the page address wins (handy when the platform runs
 * on another port), then `VITE_GATEWAY_URL` at build time, then the embedded platform's default.
 */
export const gatewayUrl: string =
  new URLSearchParams(window.location.search).get('gateway') ??
  import.meta.env.VITE_GATEWAY_URL ??
  'http://127.0.0.1:4000/graphql';
