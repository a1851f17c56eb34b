import MarkdownIt from "markdown-it";

// html: false escapes any HTML in the text, and markdown-it's link check refuses
// javascript:, vbscript:, file: and data: URLs, so a model's answer cannot inject markup
// or script into the console.
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  tokens[index]?.attrSet("rel", "noopener noreferrer");
  tokens[index]?.attrSet("target", "_blank");
  return self.renderToken(tokens, index, options);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}
