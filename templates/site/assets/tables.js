/* trondocs: on a phone a wide table becomes one card per row; each cell is labelled with its
   column's heading (copied here into data-label, which extra.css shows). Wide means five
   columns or more, or any table that would not fit the phone's width as a table. */
(function () {
  var phone = window.matchMedia("screen and (max-width: 44.9375em)");
  function tables() {
    return Array.from(document.querySelectorAll(".md-typeset table")).filter(function (table) {
      return !table.closest(".td-facts");  // two-column facts fit as they are
    });
  }
  function label() {
    tables().forEach(function (table) {
      var heads = Array.from(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.from(row.children).forEach(function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
        });
      });
      // An attribute, not a class: the theme styles only tables without a class.
      if (heads.length >= 5) table.setAttribute("data-td-cards", "");
    });
    fit();
    document.documentElement.setAttribute("data-td-tables", "ready");  // for the browser tests
  }
  function fit() {
    if (!phone.matches) return;
    tables().forEach(function (table) {
      var box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
      if (box.scrollWidth > box.clientWidth) table.setAttribute("data-td-cards", "");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
  phone.addEventListener("change", fit);
})();
