import { createSkyClient, type SkyClient } from '@sky/client-kit';
import { createContext, useContext } from 'react';
import { currentToken } from './session.ts';
import { gatewayUrl } from './settings.ts';

/*
 * One client per signed-in user: signing in as someone else starts with an empty cache and a
 * new WebSocket, so nothing of the previous user's data or subscriptions survives.
 */
let active: { userKey: string; client: SkyClient } | null = null;

export function clientFor(userKey: string): SkyClient {
  if (active?.userKey !== userKey) {
    void active?.client.dispose();
    active = { userKey, client: createSkyClient({ httpUrl: gatewayUrl, getToken: currentToken }) };
  }
  return active.client;
}

export const SkyClientContext = createContext<SkyClient | null>(null);

/** The kit's client of the signed-in user (Apollo Client plus its subscription socket). */
export function useSkyClient(): SkyClient {
  const client = useContext(SkyClientContext);
  if (!client) throw new Error('useSkyClient needs the SkyClientContext provider of App');
  return client;
}
