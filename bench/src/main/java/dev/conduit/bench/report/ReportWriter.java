package dev.conduit.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * {@code --report DIR}: writes a run's {@code result.json} (with the host facts under {@code host}), a
 * self-contained {@code report.html} and the charts as {@code throughput.png}, {@code iops.png},
 * {@code latency.png} and {@code ratio.png}; or, for {@code bench compare}, the comparison's {@code report.html} and
 * {@code compare.png}. The charts are drawn from the JSON as written, so the page shows what the file says.
 */
public final class ReportWriter
{
    /** The run's JSON in the report directory. */
    public static final String RESULT_JSON = "result.json";
    /** The page. */
    public static final String REPORT_HTML = "report.html";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportWriter()
    {
    }

    /**
     * @param dir  the report directory, created if absent.
     * @param run  the run's JSON ({@code conduit bench --json}'s object); not changed.
     * @param host facts about where it ran (kernel, file system, device, data path, configuration), in order.
     * @return the page's path.
     */
    public static Path writeRun(final Path dir, final JsonNode run, final Map<String, String> host)
    {
        final ObjectNode result = run.deepCopy();
        final ObjectNode facts = result.putObject("host");
        host.forEach(facts::put);
        createDirectories(dir);
        write(dir.resolve(RESULT_JSON), result.toPrettyString());

        final Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put("throughput", ReportCharts.throughput(result));
        charts.put("iops", ReportCharts.iops(result));
        charts.put("latency", ReportCharts.latency(result));
        charts.put("ratio", ReportCharts.ratio(result));

        final JsonNode config = result.path("config");
        final HtmlPage page = new HtmlPage(String.format(Locale.ROOT, "conduit bench: %s bs=%s qd=%s threads=%s on %s",
            config.path("mode").asText(), config.path("bs").asText(), config.path("qd").asText(),
            config.path("threads").asText(), config.path("target").asText()));
        page.heading("Where it was measured").facts("host", host);
        page.heading("What ran").facts("config", fields(config));
        page.heading("Results").table("summary", List.of("side", "what", "GiB/s", rateUnit(result), "p50 µs",
            "p99 µs", "p99.9 µs", "max µs"), summary(result));
        if (result.path("ratio").isObject())
        {
            page.note(String.format(Locale.ROOT, "Conduit ÷ fio: %.3f (GiB/s), %.3f (IOPS), %s; each side's figures " +
                "are its medians over %d rounds.", result.path("ratio").path("gib_s").asDouble(),
                result.path("ratio").path("iops").asDouble(), result.path("ratio").path("of").asText(),
                result.path("rounds").size()));
        }
        page.heading("Throughput and " + rateUnit(result) + " per second")
            .chart("throughput", charts.get("throughput"), "No per-second series in this run.")
            .chart("iops", charts.get("iops"), "");
        page.heading("Latency percentile spectrum")
            .note("x axis: 1/(1-p), so each decade is one more nine (90%, 99%, 99.9%...).")
            .chart("latency", charts.get("latency"), "No latency spectrum in this run.");
        page.heading("Conduit ÷ peer per round")
            .chart("ratio", charts.get("ratio"), "No peer ran (no --vs-fio), so there is no ratio.");
        final Path html = dir.resolve(REPORT_HTML);
        write(html, page.finish());
        charts.forEach((name, chart) ->
        {
            if (chart != null)
            {
                ChartImages.png(chart, dir.resolve(name + ".png"));
            }
        });
        return html;
    }

    /**
     * @param dir        the report directory, created if absent.
     * @param comparison the comparison.
     * @param aName      where A came from.
     * @param bName      where B came from.
     * @return the page's path.
     */
    public static Path writeComparison(final Path dir, final RunComparison comparison, final String aName,
        final String bName)
    {
        createDirectories(dir);
        final Chart<?, ?> chart = ReportCharts.comparison(comparison);
        final Map<String, String> runs = new LinkedHashMap<>();
        runs.put("A", aName);
        runs.put("B", bName);
        runs.put("workload", comparison.workload());
        final List<List<String>> rows = new ArrayList<>();
        for (final RunComparison.Row r : comparison.rows())
        {
            rows.add(List.of(r.figure(), number(r.a()), number(r.b()), String.format(Locale.ROOT, "%+.2f%%",
                r.changePercent()), number(r.aMin()) + " .. " + number(r.aMax()), number(r.bMin()) + " .. " +
                number(r.bMax()), r.spread().name().toLowerCase(Locale.ROOT)));
        }
        final HtmlPage page = new HtmlPage("conduit bench compare: " + comparison.workload());
        page.heading("Runs").facts("runs", runs);
        page.heading("B against A").table("compare", List.of("figure", "A (median)", "B (median)", "change",
            "A rounds", "B rounds", "vs spread"), rows);
        page.note("outside: B's median lies outside A's min..max over its rounds and A's median outside B's, so " +
            "round-to-round noise does not explain the change; within: it may; unknown: a run has fewer than 2 " +
            "rounds.");
        page.chart("compare", chart, "");
        final Path html = dir.resolve(REPORT_HTML);
        write(html, page.finish());
        ChartImages.png(chart, dir.resolve("compare.png"));
        return html;
    }

    /**
     * @param file a run's JSON file.
     * @return its object.
     */
    public static JsonNode read(final Path file)
    {
        try
        {
            return MAPPER.readTree(file.toFile());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static List<List<String>> summary(final JsonNode run)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final String side : List.of("conduit", "fio"))
        {
            final JsonNode s = run.path(side);
            if (s.isObject())
            {
                final JsonNode lat = s.path("lat_us");
                rows.add(List.of(side, s.path("detail").asText(), number(s.path("gib_s").asDouble()),
                    number(s.path("iops").asDouble()), number(lat.path("p50").asDouble()),
                    number(lat.path("p99").asDouble()),
                    number(lat.path("p999").asDouble()), number(lat.path("max").asDouble())));
            }
        }
        return rows;
    }

    private static Map<String, String> fields(final JsonNode object)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        object.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        return fields;
    }

    private static String rateUnit(final JsonNode run)
    {
        return run.path("conduit").has("req_s") ? "req/s" : "IOPS";
    }

    private static String number(final double value)
    {
        // Four significant digits, without an exponent for counts such as IOPS.
        return String.format(Locale.ROOT, Math.abs(value) >= 1000 ? "%.0f" : "%.4g", value);
    }

    private static void createDirectories(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("creating " + dir, e);
        }
    }

    private static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
