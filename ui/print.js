// Plotly draws each chart as SVG of a fixed size in pixels, that of the screen: printed on A4,
// a chart drawn for a wide screen ran off the page. Each chart is given a viewBox and its
// aspect ratio, so that the print style (print.css) can scale it to the page's width.
const page = window.parent.document;  // the app's page (the script may run in a frame)
function scalable() {
  for (const container of page.querySelectorAll(".js-plotly-plot .svg-container")) {
    const width = parseFloat(container.style.width), height = parseFloat(container.style.height);
    if (!width || !height) continue;
    container.style.aspectRatio = `${width} / ${height}`;
    for (const svg of container.querySelectorAll("svg.main-svg")) {
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    }
  }
}
scalable();
new MutationObserver(scalable).observe(page.body, { childList: true, subtree: true });
