import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

export const metadata: Metadata = { title: 'Todo app' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: 0 }}>
        {/* FR-001 / FR-018: the chat is part of the app's main navigation. */}
        <nav aria-label="Main" style={{ display: 'flex', gap: '1rem', padding: '0.75rem 1rem' }}>
          <Link href="/">Tasks</Link>
          <Link href="/chat">Chat</Link>
        </nav>
        <main style={{ padding: '0 1rem 1rem' }}>{children}</main>
      </body>
    </html>
  );
}
