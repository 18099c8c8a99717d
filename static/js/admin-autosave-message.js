// Wagtail 8.0.1: when publishing is refused, the editor comes back with a red "The page could
// not be saved due to validation errors", and autosave at once saves the same changes as a
// draft (drafts skip the rules of publishing) and shows a green "Saved" beside it. Both are
// true, read together they contradict each other. After that first autosave, say what
// happened in the red message itself; its list of what publishing needs stays as it is.
// Upstream: autosave feedback is collected in https://github.com/wagtail/wagtail/issues/13863
(() => {
  const REFUSED = 'The page could not be saved due to validation errors';
  document.addEventListener(
    'w-autosave:success',
    () => {
      document.querySelectorAll('.messages li.error').forEach((item) => {
        const text = [...item.childNodes].find(
          (node) => node.nodeType === Node.TEXT_NODE && node.textContent.includes(REFUSED),
        );
        if (text) {
          text.textContent = text.textContent.replace(
            `${REFUSED}.`,
            'Your changes are saved as a draft, but not published: publishing needs what is listed here.',
          );
        }
      });
    },
    { once: true },
  );
})();
