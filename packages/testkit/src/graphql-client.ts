/** A frontend team's view of the API: POST a document, read status, data and errors. */
export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export async function graphql<Data = Record<string, unknown>>(
  url: string,
  query: string,
  options: {
    variables?: Record<string, unknown>;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  return {
    status: response.status,
    headers: response.headers,
    ...((await response.json()) as object),
  };
}

/** Sends a raw body (for malformed-request tests). */
export async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: object;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, headers: response.headers, ...parsed };
}

/** The codes of a response's errors, for compact assertions. */
export const errorCodes = (response: GraphQLResponse): unknown[] =>
  (response.errors ?? []).map((e) => e.extensions?.code);
