// The aspect editor opened from a matrix cell (?role=<id>): focus that role's statement row,
// or add a row for the role when the aspect has none. Wagtail's editor draws its rows first.
(() => {
  const role = new URLSearchParams(window.location.search).get('role');
  const forms = document.getElementById('id_statements-FORMS');
  if (!role || !forms) return;

  const rowOf = (select) => {
    const deleted = document.getElementById(select.id.replace(/-role$/, '-DELETE'));
    return deleted && deleted.value ? null : select;
  };
  const roleSelects = () => [...forms.querySelectorAll('select[name$="-role"]')];

  const focusRow = () => {
    let select = roleSelects().find((s) => s.value === role && rowOf(s));
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
  window.addEventListener('load', () => window.setTimeout(focusRow, 0));
})();
