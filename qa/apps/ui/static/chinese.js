// Runs before Gradio's own script. Gradio reads the browser's language once, as it starts, to word
// its controls (the upload box, the footer, its settings panel); this page speaks Chinese to everyone.
for (const [name, value] of [["language", "zh-CN"], ["languages", Object.freeze(["zh-CN", "zh"])]]) {
  Object.defineProperty(Navigator.prototype, name, { get: () => value, configurable: true });
}
// Gradio's page says lang="en": browsers then offer to translate it and may draw Han characters
// with another language's glyphs.
document.documentElement.lang = "zh-CN";
