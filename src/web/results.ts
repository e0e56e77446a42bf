/**
 * A result list: titles and snippets with the query words marked, date, categories, author. Renders
 * into the list element it is given, so the search page and an embedded search box share it.
 */
import type { SearchHit } from '../search/types.js';
import { displayDate } from './dates.js';
import { button, el, markOnly, markTerms, safeHref } from './dom.js';

export interface HitOptions {
  /** The link of a hit's title (default: its url); null makes the title plain text. */
  href?: (hit: SearchHit) => string | null;
  /** A category of a hit chosen as a filter; without it categories are plain text. */
  onCategory?: (category: string) => void;
}

export function renderHits(list: HTMLOListElement, hits: SearchHit[], firstNumber: number, options: HitOptions = {}): void {
  list.replaceChildren(...hits.map((hit) => renderHit(hit, options)));
  list.start = firstNumber;
}

function renderHit(hit: SearchHit, options: HitOptions): HTMLLIElement {
  const href = options.href ? options.href(hit) : safeHref(hit.url);
  const title = markTerms(hit.title, hit.matched_terms);
  const heading = el('h3', {}, href === null ? el('span', {}, ...title) : el('a', { attrs: { href, 'data-focus': `hit:${hit.id}` } }, ...title));
  const meta = el('p', { className: 'meta' });
  const date = displayDate(hit.date);
  if (date) meta.append(el('time', { text: date, attrs: { datetime: hit.date! } }));
  for (const category of hit.categories) {
    const onCategory = options.onCategory;
    meta.append(
      onCategory
        ? button(category, 'tag', () => onCategory(category))
        : el('span', { className: 'tag', text: category }),
    );
  }
  if (hit.author) meta.append(el('span', { className: 'author', text: hit.author }));
  const snippet = el('p', { className: 'snippet' }, ...markOnly(hit.snippet));
  return el('li', { className: 'hit' }, heading, meta, snippet);
}
