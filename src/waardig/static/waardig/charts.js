/*
 * Draws the report charts: every element with data-vega-spec="ID" gets the Vega-Lite spec from
 * the <script type="application/json" id="ID"> next to it (see core/report_document.html).
 *
 * The page runs under a strict Content-Security-Policy (no eval, no inline style), hence:
 * - ast + expressionInterpreter: Vega interprets expressions instead of compiling them with
 *   new Function();
 * - defaultStyle false: vega-embed does not inject a <style> element;
 * - tooltip false: Vega falls back to the browser's own tooltips instead of vega-tooltip,
 *   which would inject a <style> element as well.
 * Needs the UMD builds of vega, vega-lite and vega-embed loaded before this file.
 */
(function () {
  "use strict";

  var DUTCH_NUMBERS = {
    decimal: ",",
    thousands: ".",
    grouping: [3],
    currency: ["€ ", ""],
  };
  var DUTCH_DATES = {
    dateTime: "%a %e %B %Y %X",
    date: "%d-%m-%Y",
    time: "%H:%M:%S",
    periods: ["AM", "PM"],
    days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
    months: [
      "januari", "februari", "maart", "april", "mei", "juni",
      "juli", "augustus", "september", "oktober", "november", "december",
    ],
    shortMonths: [
      "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ],
  };

  function embedOptions() {
    return {
      ast: true,
      expr: vega.expressionInterpreter,
      defaultStyle: false,
      renderer: "svg",
      tooltip: false,
      formatLocale: DUTCH_NUMBERS,
      timeFormatLocale: DUTCH_DATES,
      actions: { export: true, source: false, compiled: false, editor: false },
      i18n: {
        PNG_ACTION: "Download als PNG",
        SVG_ACTION: "Download als SVG",
        CLICK_TO_VIEW_ACTIONS: "Acties voor deze grafiek",
      },
    };
  }

  function drawChart(element) {
    if (element.getAttribute("data-vega-state")) {
      return; // already drawn (or being drawn): htmx swaps may call us again
    }
    var source = document.getElementById(element.getAttribute("data-vega-spec"));
    if (!source) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      element.setAttribute("data-vega-state", "error");
      console.error("Waardig: chart spec is not valid JSON", error);
      return;
    }
    element.setAttribute("data-vega-state", "drawing");
    var options = embedOptions();
    if (element.getAttribute("data-vega-actions") === "false") {
      options.actions = false; // e.g. a sparkline in a table cell: its row holds the numbers
    }
    vegaEmbed(element, spec, options)
      .then(function () {
        element.setAttribute("data-vega-state", "drawn");
      })
      .catch(function (error) {
        element.setAttribute("data-vega-state", "error");
        console.error("Waardig: chart could not be drawn", error);
      });
  }

  function drawCharts() {
    if (typeof vegaEmbed === "undefined") {
      console.error("Waardig: vega-embed is not loaded; charts stay as data tables");
      return;
    }
    document.querySelectorAll("[data-vega-spec]").forEach(drawChart);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
  document.addEventListener("htmx:afterSwap", drawCharts);
})();
