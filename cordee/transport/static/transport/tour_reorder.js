/* Reorder a tour's stops by dragging a row (HTML5 drag and drop). Progressive
   enhancement: without this script, or without a mouse, the ↑ ↓ buttons of each row do the
   same one step at a time. After a drop the new order (stop ids, first to last) is posted;
   htmx swaps in the stops part of the page, re-rendered with the new times and warnings
   (without htmx, the page reloads). The rows are found again after every swap. */
(function () {
  "use strict";
  var dragged = null;
  var before = "";

  function listOf(row) { return row && row.parentNode; }
  function rowAt(target) {
    return target && target.closest ? target.closest("tbody[data-reorder-url] > tr[data-stop-id]") : null;
  }
  function order(tbody) {
    return Array.prototype.map.call(tbody.querySelectorAll("tr[data-stop-id]"), function (row) {
      return row.getAttribute("data-stop-id");
    }).join(",");
  }

  function arm() {
    var tbody = document.querySelector("tbody[data-reorder-url]");
    if (!tbody) { return; }
    tbody.closest("table").classList.add("can-drag");
    var hint = document.querySelector(".drag-hint");
    if (hint) { hint.classList.add("is-shown"); }
    Array.prototype.forEach.call(tbody.querySelectorAll("tr[data-stop-id]"), function (row) {
      row.setAttribute("draggable", "true");
    });
  }

  function send(tbody) {
    var url = tbody.getAttribute("data-reorder-url");
    var token = document.querySelector("#tour-stops input[name=csrfmiddlewaretoken]");
    var headers = { "X-CSRFToken": token ? token.value : "" };
    var ids = order(tbody);
    if (window.htmx) {
      window.htmx.ajax("POST", url, {
        target: "#tour-stops", swap: "outerHTML", values: { order: ids }, headers: headers
      });
      return;
    }
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    fetch(url, { method: "POST", headers: headers, credentials: "same-origin",
      body: "order=" + encodeURIComponent(ids) })
      .then(function () { window.location.reload(); });
  }

  document.addEventListener("dragstart", function (event) {
    var row = rowAt(event.target);
    if (!row) { return; }
    dragged = row;
    before = order(listOf(row));
    row.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.getAttribute("data-stop-id"));
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var row = rowAt(event.target);
    if (!row || listOf(row) !== listOf(dragged)) { return; }
    event.preventDefault();
    if (row === dragged) { return; }
    // Going down: the dragged row goes after the one under the pointer; going up: before.
    var rows = Array.prototype.slice.call(listOf(row).children);
    var down = rows.indexOf(dragged) < rows.indexOf(row);
    listOf(row).insertBefore(dragged, down ? row.nextSibling : row);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); }
  });

  document.addEventListener("dragend", function () {
    if (!dragged) { return; }
    var tbody = listOf(dragged);
    dragged.classList.remove("is-dragging");
    dragged = null;
    if (order(tbody) !== before) { send(tbody); }
  });

  document.addEventListener("htmx:afterSettle", arm);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", arm); }
  else { arm(); }
}());
