// Lists on a phone: static/css/phone.css shows each table row as a card, with each cell's value after
// its column's name. This copies the column heads into the cells' data-label, on page load and on each
// swapped list (htmx:load). Applies to every table[...] in a .table-wrap; cells that have a data-label
// keep it. Without JavaScript the cards simply have no labels.
(() => {
  "use strict";

  function label(table) {
    const heads = [...(table.tHead?.rows[0]?.cells ?? [])].map((cell) => cell.textContent.replace(/[▲▼↑↓]/g, "").trim());
    if (!heads.length) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (!cell.hasAttribute("data-label") && heads[column]) cell.dataset.label = heads[column];
          column += cell.colSpan || 1;
        }
      }
    }
  }

  document.addEventListener("htmx:load", (event) => {
    const root = event.detail.elt;
    const tables = root.matches(".table-wrap > table") ? [root] : root.querySelectorAll(".table-wrap > table");
    for (const table of tables) label(table);
    const table = root.closest?.(".table-wrap > table"); // a row or body swapped into a table
    if (table && !root.matches("table")) label(table);
  });
})();
