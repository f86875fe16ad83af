import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The address a request came from, as Express's `trust proxy` setting would compute it: the
 * socket's peer, or the nearest `X-Forwarded-For` hop added by a proxy we trust. Throttles and
 * connection caps key on it, so it must never be taken from an untrusted header.
 *
 * `setting` is `false` (the peer only), `true` (every hop: only behind a proxy that overwrites the
 * header), or a comma-separated list of addresses, subnets and proxy-addr's names (`loopback`,
 * `linklocal`, `uniquelocal`).
 */
export function clientAddressResolver(setting: string): (req: IncomingMessage) => string {
  const value = setting.trim();
  const peer = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';
  if (value === '' || value === 'false') return peer;
  const trust =
    value === 'true'
      ? () => true
      : proxyaddr.compile(
          value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean),
        );
  return (req) => (req.socket.remoteAddress ? proxyaddr(req, trust) : 'unknown');
}
