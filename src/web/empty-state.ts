/**
 * What to do when nothing (or nothing on this page) is found: the spelling the index knows ("did you
 * mean"), the filters to drop, the words to drop, or the last page that has results.
 */
import type { SearchResult } from '../search/types.js';
import { button, el } from './dom.js';
import { pageCount } from './pagination.js';
import { hasFilters, withChange, withoutFilters, type SearchState } from './url-state.js';
import { dateLabel, FACET_LABELS, type Navigate } from './facets.js';

export function renderEmpty(root: HTMLElement, state: SearchState, result: SearchResult, navigate: Navigate): void {
  const parts: Node[] = [];
  const pages = pageCount(result);
  if (result.total > 0 && state.page > pages) {
    parts.push(
      el('p', { text: `第 ${state.page} 页没有结果：共 ${result.total} 篇，只有 ${pages} 页。` }),
      el('p', {}, button(`回到第 ${pages} 页`, 'chip', () => navigate(withChange(state, { page: pages })))),
    );
  } else {
    parts.push(el('p', { text: state.q ? `没有找到与“${state.q}”相关的文章。` : '没有符合条件的文章。' }));
    if (result.stop_words_only) {
      const words = result.stop_words_only.map((word) => `“${word}”`).join('');
      parts.push(el('p', { className: 'stop-words', text: `${words}是常用词，这里的搜索不收录常用词：请加上更具体的词，例如要找的事物、人名或主题。` }));
    }
    if (hasFilters(state)) {
      const chips = el('div', { className: 'chips' });
      for (const key of ['category', 'tag', 'author'] as const) {
        for (const value of state[key]) {
          chips.append(button(`去掉${FACET_LABELS[key]}“${value}”`, 'chip', () => navigate(withChange(state, { [key]: state[key].filter((v) => v !== value) }))));
        }
      }
      const date = dateLabel(state);
      if (date) chips.append(button(`去掉日期“${date}”`, 'chip', () => navigate(withChange(state, { within: null, from: null, to: null }))));
      chips.append(button('清除全部筛选', 'chip', () => navigate(withoutFilters(state))));
      parts.push(el('p', { text: '筛选条件可能太严，试试放宽：' }), chips);
    }
    const words = state.q.split(/\s+/).filter((w) => w !== '');
    // Dropping a word or checking the spelling cannot help a query of stop words only.
    const stopWordsOnly = result.stop_words_only !== undefined;
    if (words.length > 1 && !stopWordsOnly) {
      const chips = el('div', { className: 'chips' });
      for (const word of words) {
        const rest = words.filter((w) => w !== word).join(' ');
        chips.append(button(`去掉“${word}”：${rest}`, 'chip', () => navigate(withChange(state, { q: rest }))));
      }
      parts.push(el('p', { text: '或者少用一个词：' }), chips);
    } else if (state.q && !hasFilters(state) && !stopWordsOnly) {
      parts.push(el('p', { text: '请检查错别字，或换一个更常见的说法。' }));
    }
  }
  root.replaceChildren(...parts);
  root.hidden = false;
}
