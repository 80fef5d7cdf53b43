'use client';
import { jwtClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** Same-origin client; `jwtClient()` adds `authClient.token()`, which the chat's tokenProvider calls. */
export const authClient = createAuthClient({ plugins: [jwtClient()] });
