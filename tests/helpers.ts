import { findDemoUser, DEMO_PASSWORD } from '@sky/demo-data';
import { graphql } from '@sky/testkit';
import { LOGIN } from './operations.ts';

/** Signs a demo account in through the gateway, as a frontend would. */
export async function signIn(gatewayUrl: string, demoKey: string): Promise<string> {
  const response = await graphql<{ login: { accessToken: string } }>(gatewayUrl, LOGIN, {
    variables: { email: findDemoUser(demoKey).email, password: DEMO_PASSWORD },
  });
  if (!response.data?.login) throw new Error(`sign-in failed: ${JSON.stringify(response.errors)}`);
  return response.data.login.accessToken;
}

/** True when any string in the body looks like a stack trace or internal detail. */
export function leaksInternals(body: unknown): boolean {
  const text = JSON.stringify(body);
  return /stacktrace|\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(text);
}
