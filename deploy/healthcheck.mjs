// The image's HEALTHCHECK, for whichever service a container runs (docker-compose, plain
// docker; Kubernetes ignores it and uses the Deployments' probes): a subgraph is healthy when it
// is ready (its database answers), the gateway and the payment sandbox when their /health
// answers. It asks the port the service listens on, from the same variables the service reads.
const port = process.env.PORT ?? process.env.SANDBOX_PORT ?? '4000';
const statusOf = (path) =>
  fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_500) }).then(
    (response) => response.status,
    () => 0,
  );
const ready = await statusOf('/health/ready');
// Only subgraphs have /health/ready; the others answer 404 there and have /health instead.
const healthy = ready === 200 || (ready === 404 && (await statusOf('/health')) === 200);
process.exit(healthy ? 0 : 1);
