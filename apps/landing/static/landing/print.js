// Buttons marked data-print open the browser's print dialog (the page's print CSS sets the paper).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
