export {
  startPlatform,
  type Platform,
  type PlatformOptions,
  type RunningSubgraph,
} from './platform.ts';
