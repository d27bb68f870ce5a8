() => {
  // Runs once when the page loads (qa/apps/ui/assets.py passes it to Gradio). One listener on the
  // document serves every reply and chart drawn later: Gradio's sanitizer strips inline handlers.
  const copyText = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {  // no clipboard API (plain http on another host): the old way
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
  };
  document.addEventListener('click', async (event) => {
    const copy = event.target.closest('.rq-copy');
    if (copy) {
      const source = copy.closest('.rq-reply').querySelector('.rq-copy-source');
      await copyText(source ? source.textContent : '');
      const label = copy.textContent;
      copy.textContent = '已复制';
      setTimeout(() => { copy.textContent = label; }, 2000);
      return;
    }
    // A point of the series chart (qa/apps/ui/facts.py) shows its source sentence below the chart.
    const point = event.target.closest('[data-rq-point]');
    if (!point) return;
    const chart = point.closest('.rq-series');
    const chosen = point.dataset.rqPoint;
    chart.querySelectorAll('.rq-series-source').forEach((s) => { s.hidden = s.dataset.i !== chosen; });
    chart.querySelectorAll('[data-rq-point]').forEach((p) => p.classList.toggle('rq-on', p.dataset.rqPoint === chosen));
  });
  // Gradio's own tooltips that have no Chinese translation in its zh-CN locale.
  const chinese = {'Scroll down': '滚动到最新', 'Clear': '清空', 'Copy': '复制', 'Copied': '已复制', 'Close': '关闭'};
  const translate = (root) => {
    for (const el of root.querySelectorAll('[title], [aria-label]')) {
      for (const name of ['title', 'aria-label']) {
        const text = el.getAttribute(name);
        if (text && chinese[text]) el.setAttribute(name, chinese[text]);
      }
    }
  };
  new MutationObserver(() => translate(document.body)).observe(document.body, {childList: true, subtree: true});
  translate(document.body);
  document.addEventListener('keydown', (event) => {
    // Points are focusable: Enter opens one as a click does.
    if (event.key === 'Enter' && event.target.closest && event.target.closest('[data-rq-point]')) {
      event.target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
}
