package dev.conduit.bench.report;

import java.util.List;
import java.util.Map;

import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A self-contained HTML page: inline style, inline SVG charts, no scripts, fonts or other files, so it
 * opens from disk with no network. Every chart is a {@code <figure class="chart" id="chart-NAME">} holding
 * one {@code <svg>}, which is what the browser check looks for.
 */
final class HtmlPage
{
    private static final String STYLE = "body{font-family:sans-serif;margin:1.5em;max-width:1000px}" +
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;" +
        "text-align:left;font-size:13px}td.n{text-align:right;font-family:monospace}figure{margin:1em 0}" +
        "figure svg{width:100%;height:auto}.note{color:#555;font-size:13px}";

    private final StringBuilder html = new StringBuilder();

    /**
     * @param title the page's title and first heading.
     */
    HtmlPage(final String title)
    {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
            .append(escape(title)).append("</h1>\n");
    }

    /**
     * @param text a section heading.
     * @return this.
     */
    HtmlPage heading(final String text)
    {
        html.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /**
     * @param text a note in small print.
     * @return this.
     */
    HtmlPage note(final String text)
    {
        html.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * @param id    the table's id.
     * @param facts name and value per row, in order.
     * @return this.
     */
    HtmlPage facts(final String id, final Map<String, String> facts)
    {
        html.append("<table id=\"").append(id).append("\">\n");
        facts.forEach((k, v) -> html.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
            .append("</td></tr>\n"));
        html.append("</table>\n");
        return this;
    }

    /**
     * @param id     the table's id.
     * @param header the column headings.
     * @param rows   the cells, row by row; cells that parse as numbers are right-aligned.
     * @return this.
     */
    HtmlPage table(final String id, final List<String> header, final List<List<String>> rows)
    {
        html.append("<table id=\"").append(id).append("\">\n<tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (final List<String> row : rows)
        {
            html.append("<tr>");
            row.forEach(c -> html.append(c.matches("[-+]?[0-9.]+%?") ? "<td class=\"n\">" : "<td>").append(escape(c))
                .append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        return this;
    }

    /**
     * @param name  the chart's name: its figure is {@code chart-NAME}.
     * @param chart the chart, or null when the run has nothing to draw (then a note says why).
     * @param why   why there is no chart, when there is none (empty: say nothing, another note has).
     * @return this.
     */
    HtmlPage chart(final String name, final Chart<?, ?> chart, final String why)
    {
        if (chart == null)
        {
            return why.isEmpty() ? this : note(why);
        }
        html.append("<figure class=\"chart\" id=\"chart-").append(name).append("\" data-series=\"")
            .append(chart.getSeriesMap().size()).append("\">\n").append(ChartImages.svg(chart)).append("\n</figure>\n");
        return this;
    }

    /** @return the page. */
    String finish()
    {
        return html + "</body>\n</html>\n";
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
