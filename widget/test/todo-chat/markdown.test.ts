import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { plainText, renderMarkdown } from '../../src/todo-chat/markdown.js';

function md(source: string): HTMLElement {
  const container = document.createElement('div');
  render(renderMarkdown(source), container);
  return container;
}

describe('assistant replies as Markdown', () => {
  it('renders paragraphs with line breaks, lists, emphasis, strike-through and code', () => {
    const out = md('You have 2 tasks:\n1. **buy** milk\n2. ~~call mum~~\n\n- *soon*\n- `code`\n\n```js\nconst a = 1 < 2;\n```');
    expect(out.querySelector('p')!.textContent).to.equal('You have 2 tasks:');
    expect([...out.querySelectorAll('ol > li')].map((li) => li.textContent)).to.deep.equal(['buy milk', 'call mum']);
    expect(out.querySelector('ol strong')!.textContent).to.equal('buy');
    expect(out.querySelector('ol s')!.textContent).to.equal('call mum');
    expect(out.querySelector('ul em')!.textContent).to.equal('soon');
    expect(out.querySelector('ul code')!.textContent).to.equal('code');
    expect(out.querySelector('pre code')!.textContent).to.equal('const a = 1 < 2;');
    expect(md('one\ntwo').querySelectorAll('p br')).to.have.length(1);
  });

  it('nests indented lists and keeps an ordered list’s start number', () => {
    const out = md('3. third\n   - detail\n4. fourth');
    expect(out.querySelector('ol')!.getAttribute('start')).to.equal('3');
    expect(out.querySelector('ol > li ul > li')!.textContent).to.equal('detail');
  });

  it('opens http, https and mailto links in a new tab with rel="noopener noreferrer"', () => {
    const out = md('See [the docs](https://example.com/a?b=1), https://example.org/x. or [mail](mailto:me@example.com).');
    const links = [...out.querySelectorAll('a')];
    expect(links.map((a) => a.href)).to.deep.equal(['https://example.com/a?b=1', 'https://example.org/x', 'mailto:me@example.com']);
    for (const a of links) {
      expect(a.rel).to.equal('noopener noreferrer');
      expect(a.target).to.equal('_blank');
    }
  });

  it('keeps every piece of HTML and every script URL inert', () => {
    (window as { pwned?: boolean }).pwned = false;
    const corpus = [
      '<img src=x onerror="window.pwned=true">',
      '<script>window.pwned = true</script>',
      '[click](javascript:window.pwned=true)',
      '[click](JaVaScRiPt:window.pwned=true)',
      '[data](data:text/html,<script>window.pwned=true</script>)',
      '[rel](/relative/path)',
      '<a href="javascript:window.pwned=true">x</a>',
      '**<svg onload="window.pwned=true">**',
      '<iframe src="javascript:window.pwned=true"></iframe>',
      '`<img src=x onerror=window.pwned=true>`',
      '```\n<script>window.pwned=true</script>\n```',
      '[x](https://ok.example/"onmouseover="window.pwned=true)',
    ];
    for (const source of corpus) {
      const out = md(source);
      document.body.append(out);
      expect(out.querySelector('img, script, svg, iframe'), source).to.equal(null);
      for (const a of out.querySelectorAll('a')) expect(a.protocol, source).to.match(/^(https?|mailto):$/);
      for (const el of out.querySelectorAll('*')) {
        expect([...el.attributes].filter((attr) => attr.name.startsWith('on')), source).to.deep.equal([]);
      }
      out.remove();
    }
    expect(md('<img src=x onerror="window.pwned=true">').textContent).to.equal('<img src=x onerror="window.pwned=true">');
    expect(md('[click](javascript:alert(1))').querySelector('a')).to.equal(null);
    expect((window as { pwned?: boolean }).pwned).to.equal(false);
  });

  it('gives screen readers the reply without its Markdown markers', () => {
    expect(plainText('**Done.** See [docs](https://x.example)\n- `a`')).to.equal('Done. See docs\na');
  });
});
