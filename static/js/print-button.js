// The Print button of the printable reports (stock report, pick list): a click on a [data-print]
// element, or on anything inside one, opens the browser's print dialog; the reports' CSS styles the
// page for paper. Attributes: [data-print]. The listener is delegated from document, so a button
// that htmx swaps in later works too and nothing is wired on htmx:load.
// Without JavaScript the button does nothing; each report also has a PDF link beside it.
(() => {
  "use strict";
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
