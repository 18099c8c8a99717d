// The aspect editor's statement rows (Wagtail 8's InlinePanel):
// - each row is headed by its role's name instead of "Statement 1, 2 …", and follows its select;
// - a row added with "Add statement" starts on the first role that has no statement yet;
// - opened from a matrix cell (?role=<id>), that role's row is focused, or added for it.
(() => {
  const forms = document.getElementById('id_statements-FORMS');
  if (!forms) return;

  const isLive = (select) => {
    const deleted = document.getElementById(select.id.replace(/-role$/, '-DELETE'));
    return !(deleted && deleted.value);
  };
  const roleSelects = () =>
    [...forms.querySelectorAll('select[name$="-role"]')].filter((s) => !s.name.includes('__prefix__'));

  const label = (select) => {
    const child = select.closest('[data-inline-panel-child]');
    const heading = child && child.querySelector('[data-panel-heading-text]');
    if (!heading) return;
    const option = select.selectedOptions[0];
    const name = select.value && option ? option.textContent.trim() : 'New statement';
    // Wagtail numbers the rows in a span of the heading: keep it (its script updates it), hidden.
    const text = [...heading.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
    if (text) text.textContent = name;
    else heading.prepend(name);
    heading.querySelectorAll('[data-inline-panel-child-count]').forEach((count) => {
      count.hidden = true;
    });
  };

  const preselect = (select) => {
    if (select.value) return;
    const taken = new Set(roleSelects().filter((s) => s !== select && isLive(s)).map((s) => s.value));
    const free = [...select.options].find((option) => option.value && !taken.has(option.value));
    if (free) select.value = free.value;
  };

  roleSelects().forEach(label);
  forms.addEventListener('change', (event) => {
    if (event.target.matches('select[name$="-role"]')) label(event.target);
  });
  new MutationObserver((changes) => {
    changes.forEach((change) =>
      change.addedNodes.forEach((node) => {
        if (!(node instanceof Element)) return;
        node.querySelectorAll('select[name$="-role"]').forEach((select) => {
          preselect(select);
          label(select);
        });
      }),
    );
  }).observe(forms, { childList: true });

  const role = new URLSearchParams(window.location.search).get('role');
  const focusRow = () => {
    let select = roleSelects().find((s) => s.value === role && isLive(s));
    if (!select) {
      const add = document.getElementById('id_statements-ADD');
      if (!add) return;
      add.click();
      const all = roleSelects();
      select = all[all.length - 1];
      if (!select) return;
      select.value = role;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    const statement = document.getElementById(select.id.replace(/-role$/, '-statement'));
    const target = statement || select;
    target.scrollIntoView({ block: 'center' });
    target.focus();
  };
  if (role) window.addEventListener('load', () => window.setTimeout(focusRow, 0));
})();
