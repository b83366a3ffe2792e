// A habit's year (templates/habits/show.html): it opens scrolled to today, and the keyboard reaches
// it with one Tab stop. Inside, arrow keys move by day (up, down) and by week (left, right), Home
// and End go to the first day and to today; Enter and Space press the day's button as a click
// does. Without JavaScript every day is its own Tab stop and the grid opens at its first week.
(function () {
  "use strict";

  var KEYS = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -7, ArrowRight: 7 };

  function cells(grid) {
    return Array.prototype.slice.call(grid.querySelectorAll("button.cell"));
  }

  // Cells are named c<YYYY-MM-DD>; the day ``days`` away from ``cell``'s, or null past the ends.
  function cellAfter(cell, days) {
    var day = new Date(cell.id.slice(1) + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + days);
    return document.getElementById("c" + day.toISOString().slice(0, 10));
  }

  // The one cell Tab stops at: the one last focused, else today (the last one).
  function rove(grid, active) {
    var all = cells(grid);
    if (!all.length) return;
    active = active || document.getElementById(grid.dataset.active || "") || all[all.length - 1];
    grid.dataset.active = active.id;
    all.forEach(function (cell) { cell.tabIndex = cell === active ? 0 : -1; });
  }

  function showToday(grid) {
    var scroller = grid.closest(".heatmap-scroll");
    if (scroller) scroller.scrollLeft = scroller.scrollWidth;
  }

  function setUp(root) {
    var grids = root.matches && root.matches("[data-heatmap]") ? [root] : root.querySelectorAll("[data-heatmap]");
    Array.prototype.forEach.call(grids, function (grid) {
      rove(grid);
      showToday(grid);
    });
  }

  document.addEventListener("keydown", function (event) {
    var cell = event.target;
    var grid = cell.closest && cell.closest("[data-heatmap]");
    if (!grid || !cell.matches("button.cell") || event.altKey || event.ctrlKey || event.metaKey) return;
    var next = null;
    var all = cells(grid);
    if (event.key in KEYS) next = cellAfter(cell, KEYS[event.key]);
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else return;
    event.preventDefault();  // arrows would scroll the page instead
    if (!next || !grid.contains(next) || next.disabled) return;
    rove(grid, next);
    next.focus();
  });

  document.addEventListener("focusin", function (event) {
    var grid = event.target.closest && event.target.closest("[data-heatmap]");
    if (grid && event.target.matches("button.cell")) rove(grid, event.target);
  });

  // A day answered by the server replaces its button (out of band): the new one keeps its place in
  // the roving order, and htmx gives it back the focus.
  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    if (element.matches && element.matches("button.cell")) {
      var grid = element.closest("[data-heatmap]");
      if (grid) element.tabIndex = grid.dataset.active === element.id ? 0 : -1;
      return;
    }
    setUp(element);
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
})();
