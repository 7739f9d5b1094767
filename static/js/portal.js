// Behaviour that htmx attributes cannot say. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  function branchOf(elt) {
    var id = elt.getAttribute("data-toggle-branch");
    return id ? document.getElementById(id) : null;
  }

  function setExpanded(elt, expanded) {
    var item = elt.closest("[role=treeitem]");
    if (item) item.setAttribute("aria-expanded", expanded ? "true" : "false");
    elt.textContent = expanded ? "\u2212" : "+";
  }

  // A second click on an open branch closes it instead of loading it again.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var branch = branchOf(elt);
    if (branch && branch.children.length > 0) {
      event.preventDefault();
      branch.innerHTML = "";
      setExpanded(elt, false);
    }
  });

  // After a failed submit, bring the error summary into view: on a phone it would be off screen.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });

  // The date fields of a period form matter only for custom dates: show them then.
  function togglePeriodDates(root) {
    (root || document).querySelectorAll("[data-period-fields]").forEach(function (box) {
      var select = box.querySelector("select[name=period]");
      if (!select) return;
      var custom = select.value === "custom";
      box.querySelectorAll("input[type=date]").forEach(function (input) {
        var field = input.closest(".field");
        if (field) field.classList.toggle("period-hidden", !custom);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { togglePeriodDates(document); });
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-period-fields] select[name=period]")) togglePeriodDates(document);
  });
  document.addEventListener("htmx:afterSettle", function () { togglePeriodDates(document); });

  // A print button: printing needs no server round trip.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // The menu opens without JavaScript (<details>); here it closes as a person expects: opening
  // one group closes the others, and a click elsewhere or Escape closes what is open.
  function openMenus() {
    return document.querySelectorAll("nav.menu details[data-menu][open]");
  }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("nav.menu details.menu-dropdown[open]")) return;
    openMenus().forEach(function (other) {
      if (other !== opened && other.classList.contains("menu-dropdown")) other.open = false;
    });
  }, true);
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) menu.querySelector("summary").focus();
    });
  });

  // The dashboard's sections a person opened stay open when htmx swaps the board (a drill-down,
  // another period, a sort), and every section opens for printing.
  var openGroups = null;
  document.addEventListener("htmx:beforeSwap", function () {
    openGroups = Array.prototype.map.call(
      document.querySelectorAll("details.board-group[open]"),
      function (section) { return section.getAttribute("data-group"); }
    );
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!openGroups) return;
    openGroups.forEach(function (key) {
      var section = document.querySelector('details.board-group[data-group="' + key + '"]');
      if (section) section.open = true;
    });
    openGroups = null;
  });
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details.board-group"),
      function (section) { return !section.open; }
    );
    closedForPrint.forEach(function (section) { section.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (section) { section.open = false; });
    closedForPrint = [];
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (elt && branchOf(elt)) setExpanded(elt, true);
  });
})();

// The search box's dropdown closes on Escape and on a click elsewhere.
(function () {
  "use strict";
  function dropdown() { return document.getElementById("site-search-results"); }
  document.addEventListener("keydown", function (event) {
    var box = dropdown();
    if (event.key === "Escape" && box && event.target.closest(".site-search")) {
      box.innerHTML = "";
      document.getElementById("site-search-q").focus();
    }
  });
  document.addEventListener("click", function (event) {
    var box = dropdown();
    if (box && !event.target.closest(".site-search")) box.innerHTML = "";
  });
})();
