import { randomBytes } from 'node:crypto';

/** A configuration mistake, said as a sentence that tells the operator what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface AuthConfig {
  /** HS256 shared secret (Better Auth's `BETTER_AUTH_SECRET`). */
  secret?: string;
  /** JWKS of Better Auth's jwt plugin, e.g. `https://app.example.com/api/auth/jwks`. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The claim that carries the user id. */
  userClaim: string;
  /** How long the fetched JWKS is trusted before it is fetched again. */
  jwksCacheMaxAgeMs: number;
  /** The least time between two JWKS fetches caused by an unknown key id (key rotation). */
  jwksCooldownMs: number;
  /** True when no auth was configured and a throwaway secret was generated for the demo. */
  demo: boolean;
}

export interface Config {
  port: number;
  host: string;
  production: boolean;
  /** PostgreSQL connection string; unset means the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  databasePoolMax: number;
  dataDir: string;
  auth: AuthConfig;
  /** Origins allowed to call the API from a browser. Empty: same-origin only. `*`: any. */
  corsOrigins: string[];
  /** Chat turns a user may start per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes: number;
  logLevel: string;
  /** How long one assistant answer may take before the turn fails with 504. */
  agentTimeoutMs: number;
  /** How long SIGTERM waits for in-flight turns before closing anyway. */
  shutdownTimeoutMs: number;
  /** Express `trust proxy` setting, for correct client addresses behind a load balancer. */
  trustProxy: boolean | number | string;
  /** An OpenAI-compatible model answers when set (OPENAI_API_KEY); otherwise the built-in agent does. */
  openai?: OpenAIConfig;
  /** The host app's task API (TASKS_API_URL); unset means the server's own `task` table. */
  tasksApiUrl?: string;
}

export interface OpenAIConfig {
  apiKey: string;
  /** Any OpenAI-compatible server (Ollama, vLLM, llama.cpp); the SDK's default (api.openai.com) when unset. */
  baseURL?: string;
  model: string;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; it is "${raw}".`);
  }
  return value;
}

function url(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  try {
    return new URL(raw).toString();
  } catch {
    throw new ConfigError(`${name} must be a full URL such as https://app.example.com/api/auth/jwks; it is "${raw}".`);
  }
}

function httpUrl(env: Env, name: string, example: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    throw new ConfigError(`${name} must be a full http(s) URL such as ${example}; it is "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

function openai(env: Env): OpenAIConfig | undefined {
  const apiKey = env.OPENAI_API_KEY?.trim();
  const baseURL = httpUrl(env, 'OPENAI_BASE_URL', 'http://localhost:11434/v1');
  const model = env.OPENAI_MODEL?.trim();
  if (!apiKey) {
    if (baseURL || model) {
      throw new ConfigError(
        `${baseURL ? 'OPENAI_BASE_URL' : 'OPENAI_MODEL'} is set but OPENAI_API_KEY is not. Set OPENAI_API_KEY to use a model ` +
          '(any non-empty value for a local server such as Ollama), or unset both to use the built-in assistant.',
      );
    }
    return undefined;
  }
  return { apiKey, baseURL, model: model || 'gpt-4o-mini' };
}

function trustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** Reads the configuration from environment variables (documented in docs/configuration.md). */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const secret = env.BETTER_AUTH_SECRET?.trim() || undefined;
  const jwksUrl = url(env, 'AUTH_JWKS_URL');
  if (secret && secret.length < 32 && production) {
    throw new ConfigError('BETTER_AUTH_SECRET must be at least 32 characters in production (openssl rand -base64 32 makes one).');
  }
  const demo = !secret && !jwksUrl;
  if (demo && production) {
    throw new ConfigError(
      'No authentication is configured. Set BETTER_AUTH_SECRET (the same secret as your Better Auth app) ' +
        'or AUTH_JWKS_URL (your app\'s /api/auth/jwks) before starting with NODE_ENV=production.',
    );
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://.');
  }
  return {
    port: integer(env, 'PORT', 8000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    production,
    databaseUrl,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    dataDir: env.DATA_DIR?.trim() || '.todo-chat',
    auth: {
      secret: secret ?? (demo ? randomBytes(32).toString('base64url') : undefined),
      jwksUrl,
      issuer: env.AUTH_ISSUER?.trim() || undefined,
      audience: env.AUTH_AUDIENCE?.trim() || undefined,
      userClaim: env.AUTH_USER_CLAIM?.trim() || 'sub',
      jwksCacheMaxAgeMs: integer(env, 'AUTH_JWKS_CACHE_MAX_AGE_MS', 10 * 60_000, 0, 24 * 3_600_000),
      jwksCooldownMs: integer(env, 'AUTH_JWKS_COOLDOWN_MS', 5_000, 0, 3_600_000),
      demo,
    },
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter(Boolean),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 30, 0, 1_000_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    agentTimeoutMs: integer(env, 'AGENT_TIMEOUT_MS', 60_000, 100, 3_600_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    trustProxy: trustProxy(env.TRUST_PROXY?.trim()),
    openai: openai(env),
    tasksApiUrl: httpUrl(env, 'TASKS_API_URL', 'https://app.example.com'),
  };
}
