import Link from 'next/link';

/** Stands in for the existing todo app's task list; the chat lives at /chat. */
export default function Home() {
  return (
    <>
      <h1>Your tasks</h1>
      <p>
        Your todo list lives here. Or <Link href="/chat">ask the assistant</Link> to add, finish or show tasks.
      </p>
    </>
  );
}
