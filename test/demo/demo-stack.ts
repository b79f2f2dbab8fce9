/**
 * The demo as its tests start it: `startDemo` on a free port, quiet, with a
 * Vite cache of its own in a temporary directory and no drop-in build (the
 * bundle tests build that). `close()` stops it and removes the cache.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDemo, type DemoOptions, type RunningDemo } from '../../demo/server.js';

export async function startTestDemo(options: DemoOptions = {}): Promise<{ demo: RunningDemo; close(): Promise<void> }> {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'sendauth-demo-vite-'));
  try {
    const demo = await startDemo({ port: 0, logLevel: 'warn', viteCacheDir: cacheDir, buildDropIn: false, ...options });
    return {
      demo,
      async close() {
        await demo.close();
        await rm(cacheDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(cacheDir, { recursive: true, force: true });
    throw error;
  }
}
