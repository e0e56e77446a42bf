/**
 * Suggestions for a search box whose code (suggestions.ts) is fetched when the box is first focused: a static
 * export's first search, from a link, does not download it. Typed before the code came, the text is suggested for
 * once it is there (unless an input method is composing it); a failed fetch is tried again at the next focus.
 */
import type { attachSuggestions, SuggestionsBox, SuggestionsOptions } from './suggestions.js';

export const suggestionsOnFocus: typeof attachSuggestions = (options: SuggestionsOptions): SuggestionsBox => {
  const { input } = options;
  let box: SuggestionsBox | undefined;
  let loading = false;
  // Followed from the start: the box does not see a composition begun before its code came (its Enter confirms a
  // candidate, it does not submit).
  let composing = false;
  input.addEventListener('compositionstart', () => (composing = true));
  input.addEventListener('compositionend', () => (composing = false));
  const load = (): void => {
    if (loading) return;
    loading = true;
    void import('./suggestions.js').then(
      ({ attachSuggestions }) => {
        box = attachSuggestions(options);
        // Not the raw keys of a composition: its end asks the box for the committed text.
        if (!composing && document.activeElement === input && input.value.trim() !== '') input.dispatchEvent(new Event('input'));
      },
      () => (loading = false),
    );
  };
  input.addEventListener('focus', load);
  if (document.activeElement === input) load();
  return { close: () => box?.close(), composing: () => composing || (box?.composing() ?? false) };
};
