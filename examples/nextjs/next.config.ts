import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // This example lives inside the todo-chat repository and installs it from `file:../..`: let Next trace files
  // from the repository root. In your own app (todo-chat from npm) leave this out.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
};

export default nextConfig;
