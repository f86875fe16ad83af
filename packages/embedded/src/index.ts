export {
  startPlatform,
  type Platform,
  type PlatformOptions,
  type RunningSubgraph,
  seedSubgraphDemoData,
} from './platform.ts';
