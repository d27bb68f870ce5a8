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
  // Gradio's own tooltips and screen-reader labels that have no Chinese in its zh-CN locale (and a
  // key it shows untranslated while a file uploads).
  const chinese = {
    'Scroll down': '滚动到最新', 'Clear': '清空', 'Copy': '复制', 'Copied': '已复制', 'Close': '关闭',
    'common.upload': '上传', 'Reset to default value': '恢复默认值', 'Remove this file': '移除此文件',
    'Click to upload or drop files': '点击上传或拖放文件', 'chatbot conversation': '对话',
    'Table actions': '表格操作', 'More tabs': '更多标签页',
    'Open cell menu': '打开菜单', 'File upload': '上传文件', 'Vega visualization': '图表',
    'Select column': '选择列', 'Select row': '选择行', 'Select all': '全选',
  };
  const patterns = [
    [/^Select example (\d+): /, '选择示例 $1：'], [/^number input for (.*)$/, '$1（输入数字）'],
    [/^range slider for (.*)$/, '$1（滑块）'], [/^user's message: /, '提问：'],
    [/^bot's message: [\s\S]*$/, '回答'],  // Gradio puts the reply's whole html there
    // The charts' own descriptions (Vega): axes, legend and title, named in Chinese.
    [/^([XY])-axis titled '(.*?)' for a [\s\S]*$/, '$1 轴：$2'], [/^Symbol legend titled '(.*?)'[\s\S]*$/, '图例：$1'],
    [/^Title text '(.*?)'$/, '标题：$1'],
  ];
  const inChinese = (text) => chinese[text]
    || patterns.reduce((out, [pattern, to]) => out.replace(pattern, to), text);
  const translate = (root) => {
    for (const el of root.querySelectorAll('[title], [aria-label]')) {
      for (const name of ['title', 'aria-label']) {
        const text = el.getAttribute(name);
        const said = text && inChinese(text);
        if (said && said !== text) el.setAttribute(name, said);
      }
    }
  };
  // Gradio's notices (toasts) are English words of its own: an upload over the size limit is refused
  // before the server sees it, with "File(s) exceed the maximum allowed size of 50.0 Mb: …".
  const notices = [
    [/^File\(s\) exceed the maximum allowed size of ([\d.]+) ?Mb: ([\s\S]*)$/,
      '文件超过 $1 MB 的上传上限：$2。这次选择的文件都没有上传，请去掉它后再上传其余文件。'],
    [/^Error$/, '错误'], [/^Warning$/, '提示'], [/^Info$/, '提示'],
  ];
  const translateNotices = (root) => {
    for (const box of root.querySelectorAll('.toast-body')) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue.trim();
        const said = notices.reduce((out, [pattern, to]) => out.replace(pattern, to), text);
        if (said !== text) node.nodeValue = said;
      }
    }
  };
  new MutationObserver(() => { translate(document.body); translateNotices(document.body); }).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['title', 'aria-label'],
  });
  translate(document.body);
  document.addEventListener('keydown', (event) => {
    // Points are focusable: Enter opens one as a click does.
    if (event.key === 'Enter' && event.target.closest && event.target.closest('[data-rq-point]')) {
      event.target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
}
