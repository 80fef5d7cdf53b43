import { expect } from '@open-wc/testing';
import { mountChat, until } from './chat-fixture.js';

interface AxeResults {
  violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }>;
}
declare global {
  interface Window {
    axe?: { run(context: Element, options?: object): Promise<AxeResults> };
  }
}

/** axe-core is a UMD script, so it is loaded as one (from node_modules, served by the test runner). */
async function axe(): Promise<NonNullable<Window['axe']>> {
  if (!window.axe) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
  return window.axe!;
}

async function violations(el: Element): Promise<string[]> {
  const results = await (await axe()).run(el, { resultTypes: ['violations'] });
  return results.violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`);
}

describe('<todo-chat> accessibility', () => {
  it('has no axe violations in the empty state', async () => {
    const { el } = await mountChat();
    expect(await violations(el)).to.deep.equal([]);
  });

  it('has no axe violations in a conversation, light and dark, and with the drawer open', async function () {
    this.timeout(60_000);
    const { el, root } = await mountChat();
    await el.send('add task buy milk');
    await el.send('show my tasks');
    await until(el, () => root.querySelectorAll('.message').length === 4, 'four messages');
    expect(await violations(el)).to.deep.equal([]);
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    expect(await violations(el)).to.deep.equal([]);

    el.style.width = '360px';
    root.querySelector<HTMLButtonElement>('.menu')!.click();
    await el.updateComplete;
    expect(await violations(el)).to.deep.equal([]);
  });

  it('labels the log, the message box and every button', async () => {
    const { el, root } = await mountChat();
    await el.send('hello');
    await el.updateComplete;
    expect(root.querySelector('[role=log]')!.getAttribute('aria-label')).to.equal('Conversation');
    expect(root.querySelector('textarea')!.getAttribute('aria-label')).to.equal('Message');
    for (const button of root.querySelectorAll('button')) {
      expect(button.getAttribute('aria-label') || button.textContent!.trim(), button.outerHTML).not.to.equal('');
    }
  });
});
