import type { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

type GraphiQLOptions = NonNullable<Parameters<typeof renderGraphiQL>[0]>;

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** graphql-ws's own browser build (a UMD file defining `graphqlWs`), inlined into the page. */
const readGraphqlWsBrowserClient = () =>
  readFile(join(dirname(require.resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js'), 'utf8');

/**
 * GraphiQL's fetcher for this gateway. Yoga's built-in fetcher sends the Headers tab over HTTP
 * only, and subscriptions here run over graphql-ws, which authenticates the connection with
 * `connectionParams.authorization`: so queries and mutations are POSTed with the tab's headers,
 * and a subscription opens a graphql-ws connection carrying the tab's Authorization (a new one
 * whenever that header changes).
 */
const fetcherScript = (endpointJson: string) => `
(function () {
  var endpoint = new URL(${endpointJson}, location.href);
  var socketUrl = new URL(endpoint.href);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var socket = null;

  function header(headers, name) {
    for (var key in headers || {}) {
      if (key.toLowerCase() === name) return String(headers[key]);
    }
    return undefined;
  }

  function socketFor(authorization) {
    if (socket && socket.authorization === authorization) return socket.client;
    if (socket) socket.client.dispose();
    var client = graphqlWs.createClient({
      url: socketUrl.href,
      lazy: true,
      retryAttempts: 0,
      connectionParams: authorization ? { authorization: authorization } : {},
    });
    socket = { authorization: authorization, client: client };
    return client;
  }

  function operationType(params, documentAST) {
    var operations = ((documentAST && documentAST.definitions) || []).filter(function (d) {
      return d.kind === 'OperationDefinition';
    });
    var operation = params.operationName
      ? operations.find(function (d) { return d.name && d.name.value === params.operationName; })
      : operations[0];
    if (operation) return operation.operation;
    return /^\\s*subscription\\b/m.test(params.query.replace(/#.*$/gm, '')) ? 'subscription' : 'query';
  }

  window.skyGatewayFetcher = function (params, options) {
    var headers = (options && options.headers) || {};
    if (operationType(params, options && options.documentAST) === 'subscription') {
      return socketFor(header(headers, 'authorization')).iterate({
        query: params.query,
        variables: params.variables,
        operationName: params.operationName,
      });
    }
    return fetch(endpoint.href, {
      method: 'POST',
      credentials: 'same-origin',
      headers: Object.assign(
        { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        headers,
      ),
      body: JSON.stringify(params),
    }).then(function (response) { return response.json(); });
  };
})();
`;

export interface GraphiQLPageOptions {
  title: string;
  /** The GraphQL endpoint, relative to the page (subscriptions use the same path over ws:). */
  endpoint: string;
  /** The first tab's document, with the instructions a newcomer needs (sign-in, headers). */
  defaultQuery: string;
}

/**
 * A self-contained GraphiQL page: Yoga's GraphiQL build (React, Monaco and its workers inlined),
 * graphql-ws's browser client and our fetcher, all in one HTML document with no external script,
 * style or font, so it works on a machine without internet.
 */
export async function renderGraphiQLPage(options: GraphiQLPageOptions): Promise<string> {
  // Loaded here, on the first request for the page, not when the gateway starts: Yoga's GraphiQL
  // build is about 49 MiB of resident strings, which a gateway with the explorer off never needs.
  const [
    { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker },
    graphqlWsBrowserClient,
  ] = await Promise.all([
    import('@graphql-yoga/render-graphiql/graphiql'),
    readGraphqlWsBrowserClient(),
  ]);
  // Yoga's options travel as JSON; the fetcher is a function, so the page attaches it.
  const yogaOptions: GraphiQLOptions = {
    title: options.title,
    defaultQuery: options.defaultQuery,
    headers: '{}',
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    schemaDescription: true,
    inputValueDeprecation: true,
  };
  // JSON inside <script>: "</" would end the element early.
  const json = (value: unknown) => JSON.stringify(value).replace(/<\//g, '<\\/');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title)}</title>
    <link rel="icon" href="${favicon}" />
    <style>
      ${css}
    </style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      ${graphqlWsBrowserClient}
    </script>
    <script>
      ${fetcherScript(json(options.endpoint))}
    </script>
    <script>
      function prepareBlob(workerContent) {
        const blob = new Blob([workerContent], { type: 'application/javascript' });
        return URL.createObjectURL(blob);
      }
      const workers = {
        editorWorkerService: prepareBlob(${JSON.stringify(editorWorkerService)}),
        json: prepareBlob(${JSON.stringify(jsonWorker)}),
        graphql: prepareBlob(${JSON.stringify(graphqlWorker)}),
      };
      self['MonacoEnvironment'] = {
        globalAPI: false,
        getWorkerUrl: function (moduleId, label) {
          return workers[label];
        },
      };
      ${js};
      YogaGraphiQL.renderYogaGraphiQL(
        window.document.querySelector('#root'),
        Object.assign(${json(yogaOptions)}, { fetcher: window.skyGatewayFetcher }),
      );
    </script>
  </body>
</html>
`;
}
