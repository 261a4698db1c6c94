// A small syntax highlighter for generated code: comments, strings, numbers, keywords, types
// and function names, for the common languages. It builds DOM nodes (no innerHTML).
"use strict";

const Highlight = (() => {
  const keywords = new Set((
    "abstract and as async await break case catch class const continue def default defer del do elif else enum except " +
    "export extends false final finally fn for foreach from func function go goto if impl implements import in instanceof " +
    "interface is lambda let loop match mod module mut namespace new nil none not null object or override package pass " +
    "private protected pub public raise readonly record return select self sealed static struct super switch then this " +
    "throw throws trait true try type typeof unless unsafe use using val var virtual void volatile when where while with " +
    "yield True False None echo fi esac done elif local export println print printf string int bool float double char long " +
    "byte i32 i64 u32 u64 usize f64 f32 str String Vec Option Some Ok Err Result"
  ).split(/\s+/));
  const hashComments = new Set(["python", "py", "bash", "sh", "shell", "ruby", "rb", "r", "perl", "yaml", "toml", "powershell", "elixir"]);

  function tokenizer(language) {
    const comment = hashComments.has((language || "").toLowerCase())
      ? String.raw`#[^\n]*`
      : String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/|#\![^\n]*`;
    return new RegExp([
      `(${comment})`,
      String.raw`("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|` + "`(?:\\\\.|[^`\\\\])*`)",
      String.raw`(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[0-9a-f]+\b)`,
      String.raw`([A-Za-z_][A-Za-z0-9_]*)(?=\s*\()`,
      String.raw`([A-Za-z_][A-Za-z0-9_]*)`,
    ].join("|"), "gi");
  }

  function render(code, language) {
    const fragment = document.createDocumentFragment();
    const pattern = tokenizer(language);
    let last = 0;
    const push = (text, cls) => {
      if (!text) return;
      if (!cls) { fragment.append(document.createTextNode(text)); return; }
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      fragment.append(span);
    };
    for (const match of code.matchAll(pattern)) {
      push(code.slice(last, match.index), null);
      const [text, com, str, num, fn, word] = match;
      if (com) push(text, "tok-com");
      else if (str) push(text, "tok-str");
      else if (num) push(text, "tok-num");
      else if (fn) push(text, keywords.has(fn) ? "tok-kw" : "tok-fn");
      else if (word) push(text, keywords.has(word) ? "tok-kw" : /^[A-Z][a-z0-9]/.test(word) ? "tok-type" : null);
      last = match.index + text.length;
    }
    push(code.slice(last), null);
    return fragment;
  }

  // A <pre class="code"> with the language shown in its corner.
  function block(code, language) {
    const pre = document.createElement("pre");
    pre.className = "code";
    const inner = document.createElement("code");
    inner.append(render(code, language));
    pre.append(inner);
    const wrap = document.createElement("div");
    wrap.className = "code-block";
    const tag = document.createElement("span");
    tag.className = "lang";
    tag.textContent = language || "";
    wrap.append(tag, pre);
    return wrap;
  }

  return { render, block };
})();
