/**
 * As-you-type suggestions for one search box (a combobox with a listbox), reusable by any page that
 * gives it an input and a list element. Safe with input methods: nothing is requested or shown while
 * a composition is under way, and the keys that confirm or navigate a composition belong to the IME.
 */
import type { Suggestion } from '../search/types.js';
import type { SearchClient } from './api-client.js';
import { el, markTerms, safeHref } from './dom.js';

const KIND_LABELS: Record<Suggestion['kind'], string> = { title: '文章', tag: '标签', keyword: '关键词' };
const DELAY_MS = 120;

export interface SuggestionsOptions {
  input: HTMLInputElement;
  list: HTMLUListElement;
  client: SearchClient;
  /** Search for `q` (Enter, or a tag/keyword suggestion chosen). */
  onSearch: (q: string) => void;
  /** Open an article (a title suggestion chosen); default: follow its link. */
  onOpen?: (url: string) => void;
  limit?: number;
}

export interface SuggestionsBox {
  close(): void;
  /** True while an input method composes in the box: its Enter confirms the composition, it does not submit. */
  composing(): boolean;
}

let boxes = 0;

export function attachSuggestions(options: SuggestionsOptions): SuggestionsBox {
  const { input, list, client, onSearch } = options;
  const onOpen = options.onOpen ?? ((url: string) => location.assign(url));
  const limit = options.limit ?? 8;
  const idPrefix = `${list.id || `zhsearch-suggestions-${++boxes}`}-option-`;
  let composing = false;
  let timer: number | undefined;
  let controller: AbortController | undefined;
  let shown: Suggestion[] = [];
  let active = -1;

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  if (list.id) input.setAttribute('aria-controls', list.id);
  list.setAttribute('role', 'listbox');
  list.hidden = true;

  function close(): void {
    window.clearTimeout(timer);
    controller?.abort();
    shown = [];
    active = -1;
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function schedule(): void {
    window.clearTimeout(timer);
    controller?.abort();
    if (composing) return;
    timer = window.setTimeout(() => void load(input.value.trim()), DELAY_MS);
  }

  async function load(q: string): Promise<void> {
    if (q === '' || composing) return close();
    const current = new AbortController();
    controller = current;
    let suggestions: Suggestion[];
    try {
      suggestions = await client.suggest(q, limit, current.signal);
    } catch {
      return;
    }
    if (current.signal.aborted || composing || document.activeElement !== input || input.value.trim() !== q) return;
    show(q, suggestions);
  }

  function show(q: string, suggestions: Suggestion[]): void {
    shown = suggestions;
    active = -1;
    const typed = q.split(/\s+/).filter((w) => w !== '');
    list.replaceChildren(
      ...suggestions.map((s, i) => {
        const item = el(
          'li',
          { className: `suggestion ${s.kind}`, attrs: { role: 'option', 'aria-selected': 'false' } },
          el('span', { className: 'text' }, ...markTerms(s.text, typed)),
          el('span', { className: 'kind', text: KIND_LABELS[s.kind] }),
        );
        item.id = `${idPrefix}${i}`;
        // mousedown, not click: the input's blur would close the list before a click lands.
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(s);
        });
        return item;
      }),
    );
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', String(suggestions.length > 0));
    input.removeAttribute('aria-activedescendant');
  }

  function move(step: number): void {
    const items = list.querySelectorAll('li');
    if (items.length === 0) return;
    // -1 is the typed text itself; the arrows cycle through it and the suggestions.
    active = ((active + 1 + step + items.length + 1) % (items.length + 1)) - 1;
    items.forEach((item, i) => item.setAttribute('aria-selected', String(i === active)));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', items[active]!.id);
      items[active]!.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function choose(s: Suggestion): void {
    close();
    const url = s.kind === 'title' && s.url ? safeHref(s.url) : null;
    if (url) return onOpen(url);
    input.value = s.text;
    onSearch(s.text);
  }

  input.addEventListener('compositionstart', () => {
    composing = true;
    close();
  });
  input.addEventListener('compositionend', () => {
    composing = false;
    schedule();
  });
  input.addEventListener('input', (event) => {
    if ((event as InputEvent).isComposing) return;
    schedule();
  });
  input.addEventListener('blur', () => window.setTimeout(() => document.activeElement !== input && close(), 100));
  input.addEventListener('keydown', (event) => {
    // Keys during a composition (keyCode 229 in Chromium) choose and confirm the IME's candidates.
    if (composing || event.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (list.hidden) return;
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Escape') {
      // The first Esc closes the list only; with no list open, Esc clears the box (type=search's default would do it at once).
      event.preventDefault();
      if (!list.hidden) close();
      else if (input.value !== '') input.value = '';
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = !list.hidden && active >= 0 ? shown[active] : undefined;
      if (chosen) return choose(chosen);
      close();
      onSearch(input.value.trim());
    }
  });

  return { close, composing: () => composing };
}
