'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useState } from 'react';
import { authClient } from '@/lib/auth-client';

/** A minimal e-mail sign-in (sign-up on first use); your app's own login page replaces it. */
function LoginForm() {
  const router = useRouter();
  // Only same-site paths, so ?next= cannot send the user to another site.
  const requested = useSearchParams().get('next') ?? '/';
  const next = requested.startsWith('/') && !requested.startsWith('//') ? requested : '/';
  const [error, setError] = useState('');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    const signIn = await authClient.signIn.email({ email, password });
    // A first visit has no account yet: create it with the same details (a demo shortcut; your app has sign-up).
    const { error: failure } =
      signIn.error?.status === 401 ? await authClient.signUp.email({ email, password, name: email }) : signIn;
    if (failure) setError(failure.message ?? 'Could not sign in.');
    else router.push(next);
  }

  return (
    <form onSubmit={submit} style={{ display: 'grid', gap: '0.5rem', maxWidth: 320 }}>
      <h1>Sign in</h1>
      <label>
        E-mail <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" minLength={8} required />
      </label>
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

export default function LoginPage() {
  // useSearchParams needs a Suspense boundary to let the rest of the page prerender.
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
