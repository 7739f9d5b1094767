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

  // A table wider than the screen scrolls inside its .table-wrap: make that a region the keyboard
  // reaches (arrow keys scroll it), named by the table's caption or the heading above it. Only
  // while it really scrolls, so a table that fits adds no tab stop. Templates may say it themselves.
  function labelOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = wrap;
    while (node && node !== document.body) {
      var prev = node.previousElementSibling;
      while (prev) {
        if (/^H[1-4]$/.test(prev.tagName)) return prev.textContent.trim();
        var inner = prev.querySelector && prev.querySelector("h1, h2, h3, h4");
        if (inner) return inner.textContent.trim();
        prev = prev.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }
  function markScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.hasAttribute("data-region-own")) return;
      if (!wrap.hasAttribute("data-region-auto") && wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("data-region-own", "");
        return;
      }
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls) {
        wrap.setAttribute("data-region-auto", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", labelOf(wrap));
      } else if (wrap.hasAttribute("data-region-auto")) {
        ["data-region-auto", "tabindex", "role", "aria-label"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollers);
  document.addEventListener("htmx:afterSettle", markScrollers);
  window.addEventListener("resize", markScrollers);

  // A copy button beside a code (the resident's tracking code): the code is selectable text
  // without it; with JS the button appears and copies, saying so in a live region.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var box = document.createElement("textarea");
      box.value = text;
      box.setAttribute("readonly", "");
      box.className = "visually-hidden";
      document.body.appendChild(box);
      box.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      box.remove();
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var id = button.getAttribute("data-copy");
    var source = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!source) return;
    copyText(source.textContent.trim()).then(function () {
      if (status) status.textContent = status.getAttribute("data-copied");
    }, function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (status) status.textContent = status.getAttribute("data-not-copied");
    });
  });

  // The clerk's fund lines: rows are added here without a round trip, and the lines total
  // themselves; empty totals above are filled from them (the server still checks and totals).
  function fenOf(text) {
    var match = /^(\d+)(?:\.(\d{1,2}))?$/.exec((text || "").replace(/[\s,，]/g, ""));
    if (!match) return null;
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }
  function yuanOf(fen) {
    var cents = String(fen % 100);
    return Math.floor(fen / 100) + "." + (cents.length < 2 ? "0" + cents : cents);
  }
  function fundTotals(box) {
    var sums = { income: 0, expense: 0 };
    box.querySelectorAll("[data-fund-rows] .disclosure-row").forEach(function (row) {
      var direction = row.querySelector("select[name$='-direction']");
      var amount = row.querySelector("input[name$='-amount']");
      var fen = amount ? fenOf(amount.value) : null;
      if (direction && fen !== null && sums.hasOwnProperty(direction.value)) sums[direction.value] += fen;
    });
    var mismatch = false;
    Object.keys(sums).forEach(function (direction) {
      box.querySelector("[data-fund-sum=" + direction + "]").textContent = yuanOf(sums[direction]);
      var declared = box.form && box.form.elements["declared_" + direction];
      if (!declared) return;
      if (declared.value.trim() === "" || declared.hasAttribute("data-fund-filled")) {
        declared.value = sums[direction] ? yuanOf(sums[direction]) : "";
        declared.toggleAttribute("data-fund-filled", !!sums[direction]);
      } else if (fenOf(declared.value) !== sums[direction]) {
        mismatch = true;
      }
    });
    box.querySelector("[data-fund-mismatch]").hidden = !mismatch;
  }
  function setUpFundLines(box) {
    if (box.hasAttribute("data-fund-ready")) return;
    box.setAttribute("data-fund-ready", "");
    var prefix = box.getAttribute("data-fund-lines");
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var most = box.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var template = box.querySelector("template[data-fund-empty-row]");
    var add = box.querySelector("[data-fund-add]");
    box.querySelector("[data-fund-sums]").hidden = false;
    add.addEventListener("click", function () {
      var count = parseInt(total.value, 10);
      if (most && count >= parseInt(most.value, 10)) return;
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
      var row = holder.firstElementChild;
      box.querySelector("[data-fund-rows]").appendChild(row);
      total.value = String(count + 1);
      var first = row.querySelector("select, input");
      if (first) first.focus();
    });
    box.addEventListener("input", function () { fundTotals(box); });
    box.addEventListener("change", function () { fundTotals(box); });
    ["declared_income", "declared_expense"].forEach(function (name) {
      var declared = box.form && box.form.elements[name];
      if (!declared) return;
      declared.addEventListener("input", function () {
        declared.removeAttribute("data-fund-filled");
        fundTotals(box);
      });
    });
    fundTotals(box);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-fund-lines]").forEach(setUpFundLines);
  });

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
