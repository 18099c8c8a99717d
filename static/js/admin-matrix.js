// The comparison matrix: a cell's form saves without leaving the page. Without this script the
// same form posts and the matrix comes back with a message.
(() => {
  const status = document.getElementById('matrix-status');

  const announce = (cellForm, text, failed) => {
    const result = cellForm.querySelector('.matrix__result');
    result.textContent = text;
    result.classList.toggle('matrix__result--error', failed);
    status.textContent = text; // one live region for the page: screen readers hear each result
  };

  const show = (cell, body) => {
    cell.dataset.state = body.state;
    cell.className = `matrix__cell matrix__cell--${body.state}`;
    const text = cell.querySelector('.matrix__text');
    if (text) text.textContent = body.text;
    cell.querySelector('.matrix__badge').textContent = body.label;
    const who = body.who ? [`by ${body.who}`, body.when].filter(Boolean).join(', ') : '';
    cell.querySelector('.matrix__who').textContent = who;
  };

  document.querySelectorAll('form[data-matrix-cell]').forEach((cellForm) => {
    cellForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(cellForm);
      if (event.submitter) data.set('action', event.submitter.value);
      const buttons = cellForm.querySelectorAll('button');
      buttons.forEach((button) => { button.disabled = true; });
      announce(cellForm, 'Saving…', false);
      try {
        // Not cellForm.action: the buttons named "action" shadow that property.
        const response = await fetch(cellForm.getAttribute('action'), {
          method: 'POST',
          body: data,
          headers: { Accept: 'application/json', 'X-CSRFToken': data.get('csrfmiddlewaretoken') },
          credentials: 'same-origin',
        });
        const body = await response.json();
        if (body.ok) {
          show(cellForm.closest('td'), body);
          announce(cellForm, body.message, false);
        } else {
          announce(cellForm, `Not saved: ${body.errors.join(' ')}`, true);
        }
      } catch (error) {
        announce(cellForm, `Not saved: ${error.message}`, true);
      } finally {
        buttons.forEach((button) => { button.disabled = false; });
      }
    });
  });
})();
