/** Small DOM helpers shared by the page's modules. Text from the server always goes into the DOM as text. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

export function button(text: string, className: string, onClick: (event: MouseEvent) => void): HTMLButtonElement {
  const node = el('button', { className, text });
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

/** A snippet's text with its <mark> elements, and nothing else, even if the HTML held more. */
export function markOnly(html: string): Node[] {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const nodes: Node[] = [];
  const walk = (parent: Node, inMark: boolean): void => {
    for (const child of parent.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.textContent ?? '';
        nodes.push(inMark ? el('mark', { text }) : document.createTextNode(text));
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        walk(child, inMark || child.nodeName === 'MARK');
      }
    }
  };
  walk(parsed.body, false);
  return nodes;
}

/**
 * `text` with every occurrence of the (normalised) terms in <mark>. Each character is compared in its
 * normalised form (NFKC, lowercase) so `ＡＩ` and `Kubernetes` match the terms `ai` and `kubernetes`.
 */
export function markTerms(text: string, terms: readonly string[]): Node[] {
  const ranges = termRanges(text, terms);
  const nodes: Node[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    nodes.push(el('mark', { text: text.slice(start, end) }));
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

/** Sorted, merged [start, end) ranges of `text` (UTF-16 offsets) where a term occurs. */
export function termRanges(text: string, terms: readonly string[]): [number, number][] {
  let normalized = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const char of text) {
    const folded = char.normalize('NFKC').toLowerCase();
    for (let i = 0; i < folded.length; i++) {
      starts.push(offset);
      ends.push(offset + char.length);
    }
    normalized += folded;
    offset += char.length;
  }
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = term.normalize('NFKC').toLowerCase();
    if (!needle) continue;
    for (let at = normalized.indexOf(needle); at >= 0; at = normalized.indexOf(needle, at + needle.length)) {
      ranges.push([starts[at]!, ends[at + needle.length - 1]!]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/** Only http(s) and same-site links: a `javascript:` or `data:` permalink never becomes a live link. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
