import { useSyncExternalStore } from 'react';

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: {
    id: string;
    name: string;
    roles: string[];
    merchant: { id: string; name: string } | null;
  };
}

/*
 * The session lives in sessionStorage, which belongs to one browser tab: a customer in one tab
 * and the merchant console in another tab of the same browser stay signed in as different users.
 */
const STORAGE_KEY = 'sky-takeout.session';
const listeners = new Set<() => void>();

function read(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  return stored ? (JSON.parse(stored) as Session) : null;
}

let current = read();

export function setSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  current = session;
  for (const listener of listeners) listener();
}

export const currentToken = () => current?.accessToken ?? null;

export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
