/** Keyboard shortcuts to a search box: "/" (when not typing elsewhere) and Ctrl+K / ⌘K (anywhere). */
export function bindShortcuts(input: HTMLInputElement, reveal?: () => void): void {
  document.addEventListener('keydown', (event) => {
    if (event.isComposing || event.altKey) return;
    const target = event.target as HTMLElement;
    const typing = target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
    const slash = event.key === '/' && !typing && !event.ctrlKey && !event.metaKey;
    const commandK = event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey) && !event.shiftKey;
    if (!slash && !commandK) return;
    event.preventDefault();
    // `reveal` first shows a box that is not on screen yet (the embeddable box's overlay).
    reveal?.();
    input.focus();
    input.select();
  });
}
