import type { Express, Request, Response } from 'express';
import type { RecentTraces, RecordedSpan, RecordedTrace } from '@sky/telemetry';

/** Where a browser finds the traces this process keeps in memory (development only). */
export const RECENT_TRACES_PATH = '/debug/traces';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const rootOf = (recorded: RecordedTrace): RecordedSpan | undefined => {
  const ids = new Set(recorded.spans.map((span) => span.spanId));
  return (
    recorded.spans.find((span) => !span.parentSpanId || !ids.has(span.parentSpanId)) ??
    recorded.spans[0]
  );
};

/** A trace's spans, each after its parent (depth-first by start time), with its depth. */
function spanTree(recorded: RecordedTrace): { span: RecordedSpan; depth: number }[] {
  const ids = new Set(recorded.spans.map((span) => span.spanId));
  const children = new Map<string | null, RecordedSpan[]>();
  for (const span of recorded.spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: { span: RecordedSpan; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    const spans = (children.get(parent) ?? []).sort((a, b) => a.startedAt - b.startedAt);
    for (const span of spans) {
      ordered.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}
td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}
.error{color:#b00}code{font-size:12px}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/** This page's own requests are traced too; listing them would only show the page. */
const isPageTrace = (recorded: RecordedTrace) =>
  rootOf(recorded)?.name.startsWith(`GET ${RECENT_TRACES_PATH}`) ?? false;

function listPage(traces: RecordedTrace[]): string {
  const rows = traces.map((recorded) => {
    const root = rootOf(recorded);
    const failed = recorded.spans.some((span) => span.error);
    return `<tr><td><a href="${RECENT_TRACES_PATH}/${recorded.traceId}"><code>${recorded.traceId}</code></a></td>
<td>${escapeHtml(root?.name ?? '')}</td><td>${escapeHtml(root?.service ?? '')}</td>
<td>${new Date(recorded.startedAt).toISOString()}</td><td>${(root?.durationMs ?? 0).toFixed(1)} ms</td>
<td>${recorded.spans.length}</td><td class="error">${failed ? 'error' : ''}</td></tr>`;
  });
  return page(
    'Recent traces',
    `<p>The last traces of this process, newest first (kept in memory; nothing is exported).</p>
<table><tr><th>trace id</th><th>root span</th><th>service</th><th>started</th><th>duration</th><th>spans</th><th></th></tr>
${rows.join('\n')}</table>`,
  );
}

function tracePage(recorded: RecordedTrace): string {
  const rows = spanTree(recorded).map(({ span, depth }) => {
    const offset = span.startedAt - recorded.startedAt;
    const links = span.links
      .map((link) => `<a href="${RECENT_TRACES_PATH}/${link.traceId}">linked</a>`)
      .join(' ');
    const attributes = Object.entries(span.attributes)
      .map(([key, value]) => `${escapeHtml(key)}=${escapeHtml(String(value)).slice(0, 200)}`)
      .join('<br>');
    return `<tr><td style="padding-left:${0.6 + depth * 1.2}rem">${escapeHtml(span.name)} ${links}</td>
<td>${escapeHtml(span.service)}</td><td>${escapeHtml(span.kind)}</td><td>+${offset.toFixed(1)} ms</td>
<td>${span.durationMs.toFixed(1)} ms</td><td class="error">${escapeHtml(span.error ?? '')}</td>
<td><code>${attributes}</code></td></tr>`;
  });
  return page(
    `Trace ${recorded.traceId}`,
    `<p><a href="${RECENT_TRACES_PATH}">All recent traces</a></p>
<table><tr><th>span</th><th>service</th><th>kind</th><th>start</th><th>duration</th><th></th><th>attributes</th></tr>
${rows.join('\n')}</table>`,
  );
}

/** JSON for tools and tests, HTML for a browser. */
function answer(req: Request, res: Response, json: unknown, html: () => string) {
  if (req.accepts(['html', 'json']) === 'json') res.json(json);
  else res.type('html').send(html());
}

/**
 * Development only (like the explorers): the recent traces of this process, for embedded mode,
 * where no collector runs. Server mode exports to a collector (Jaeger) instead.
 */
export function mountRecentTracesPage(app: Express, traces: RecentTraces): void {
  app.get(RECENT_TRACES_PATH, (req, res) => {
    const list = traces.list().filter((recorded) => !isPageTrace(recorded));
    answer(
      req,
      res,
      list.map((recorded) => ({
        traceId: recorded.traceId,
        root: rootOf(recorded)?.name ?? null,
        startedAt: new Date(recorded.startedAt).toISOString(),
        spans: recorded.spans.length,
      })),
      () => listPage(list),
    );
  });
  app.get(`${RECENT_TRACES_PATH}/:traceId`, (req, res) => {
    const recorded = traces.get(req.params.traceId);
    if (!recorded) {
      res.status(404).type('text').send('No such trace in memory (it may have been dropped).');
      return;
    }
    answer(req, res, recorded, () => tracePage(recorded));
  });
}
