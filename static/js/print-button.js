// Buttons marked data-print open the browser's print dialog (reports are styled for paper).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
