package dev.conduit.bench.report;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The metric names a Grafana dashboard queries, taken from its panels' PromQL ({@code panels[].targets[].expr}),
 * and the names a Prometheus scrape holds: so a test next to the server can check every query names a
 * metric the server exports (a renamed metric otherwise leaves an empty panel and no error).
 *
 * <p>PromQL is not parsed in full: string literals, label matchers ({@code {...}}), range and subquery
 * selectors ({@code [...]}) and grouping clauses ({@code by (...)}, {@code on (...)}...) are removed, and of
 * what remains the identifiers that are not a function call, a keyword or a number are metric names. That
 * covers what dashboards write; a name inside {@code __name__="..."} is not seen.
 */
public final class DashboardMetrics
{
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
        "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN");

    private DashboardMetrics()
    {
    }

    /**
     * @param dashboard a Grafana dashboard's JSON (panels at the top level or inside rows).
     * @return every metric name its panels' queries select, sorted.
     */
    public static Set<String> of(final JsonNode dashboard)
    {
        final Set<String> names = new TreeSet<>();
        collect(dashboard.path("panels"), names);
        return names;
    }

    private static void collect(final JsonNode panels, final Set<String> names)
    {
        for (final JsonNode panel : panels)
        {
            for (final JsonNode target : panel.path("targets"))
            {
                names.addAll(inExpression(target.path("expr").asText("")));
            }
            // A collapsed row keeps its panels inside it.
            collect(panel.path("panels"), names);
        }
    }

    /**
     * @param promQl one PromQL expression.
     * @return the metric names it selects.
     */
    public static Set<String> inExpression(final String promQl)
    {
        String rest = STRING.matcher(promQl).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        final Set<String> names = new TreeSet<>();
        final Matcher m = IDENTIFIER.matcher(rest);
        while (m.find())
        {
            final boolean call = m.group(2) != null;
            if (!call && !KEYWORDS.contains(m.group(1)))
            {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * @param exposition a scrape in the Prometheus text format.
     * @return the names of its samples (with {@code _bucket}, {@code _sum}, {@code _count} as written).
     */
    public static Set<String> inScrape(final String exposition)
    {
        final Set<String> names = new TreeSet<>();
        for (final String line : exposition.split("\n"))
        {
            final String sample = line.strip();
            if (!sample.isEmpty() && !sample.startsWith("#"))
            {
                final Matcher m = IDENTIFIER.matcher(sample);
                if (m.lookingAt())
                {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /**
     * @param dashboard a Grafana dashboard's JSON.
     * @param exposition a scrape of the server it is for.
     * @return the names the dashboard queries that the scrape lacks (empty when every panel has data to show).
     */
    public static Set<String> missing(final JsonNode dashboard, final String exposition)
    {
        final Set<String> missing = of(dashboard);
        missing.removeAll(inScrape(exposition));
        return missing;
    }
}
