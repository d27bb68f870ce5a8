(mode) => {
  // Scrolls the chat after each step: to the bottom when a question goes in (mode "bottom"), and to
  // the start of the new reply when it arrives (mode "reply": the answer is at its top; Gradio's
  // autoscroll would show the last card instead). Relies on Gradio's .bubble-wrap scroller and does
  // nothing if that is not there. qa/apps/ui/app.py runs it in browser-only event steps.
  setTimeout(() => {
    const wrap = document.querySelector('#rq-chat .bubble-wrap');
    if (!wrap) return;
    const replies = wrap.querySelectorAll('.rq-reply');
    const last = replies[replies.length - 1];
    if (mode === 'bottom' || !last) { wrap.scrollTop = wrap.scrollHeight; return; }
    const asked = wrap.querySelectorAll('.user-row');
    const top = asked[asked.length - 1] || last;  // the question, with the answer right below it
    wrap.scrollTop += top.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
  }, 80);
}
