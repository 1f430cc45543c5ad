package dev.conduit.bench.report;

import java.awt.Color;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.bench.LatencySpectrum;
import dev.conduit.bench.VsFio;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, built from a run's JSON (never from the live results, so what is drawn is what was
 * recorded): throughput and IOPS per second, the latency percentile spectrum, and Conduit ÷ peer per round.
 */
public final class ReportCharts
{
    /** Chart size in pixels (the PNGs; the SVGs scale). */
    static final int WIDTH = 960;
    static final int HEIGHT = 420;

    static
    {
        // Before XChart first touches AWT (fonts, colours): a bench host has no display, and one that has must
        // not have a report opening windows or failing to.
        System.setProperty("java.awt.headless", "true");
    }

    private ReportCharts()
    {
    }

    /**
     * @param run a run's JSON.
     * @return GiB/s over each second, one line per side and round; null when no side kept a per-second series.
     */
    public static XYChart throughput(final JsonNode run)
    {
        return perSecond(run, "Throughput per second", "GiB/s", "gib_s", " GiB/s");
    }

    /**
     * @param run a run's JSON.
     * @return IOPS (req/s for S3) over each second, one line per side and round; null when no side kept a
     *         per-second series. A chart of its own: at one block size it has the throughput's shape, and on a
     *         second axis of the same chart it would hide the throughput's lines.
     */
    public static XYChart iops(final JsonNode run)
    {
        final String unit = unitOfRate(run);
        return perSecond(run, unit + " per second", unit, "iops", " " + unit);
    }

    private static XYChart perSecond(final JsonNode run, final String title, final String unit, final String field,
        final String suffix)
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("seconds into the round").yAxisTitle(unit).build();
        style(chart);
        for (final Trace trace : Trace.of(run))
        {
            final JsonNode samples = trace.perSecond();
            if (!samples.isEmpty())
            {
                chart.addSeries(trace.label() + suffix, column(samples, "t"), column(samples, field))
                    .setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart.getSeriesMap().isEmpty() ? null : chart;
    }

    /**
     * @param run a run's JSON.
     * @return latency against percentile on a logarithmic {@code 1/(1-p)} axis (HdrHistogram's percentile
     *         distribution plot: each decade one more nine), one line per side and round; null when no side
     *         kept a spectrum. The axis is linear in {@code log10(1/(1-p))} with ticks labelled as percentiles,
     *         because XChart's tick labelling does not end on a logarithmic axis with labels of its own.
     */
    public static XYChart latency(final JsonNode run)
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Latency by percentile")
            .xAxisTitle("percentile").yAxisTitle("latency (µs)").build();
        style(chart);
        boolean positive = true;
        for (final Trace trace : Trace.of(run))
        {
            final JsonNode points = trace.spectrum();
            if (points.isEmpty())
            {
                continue;
            }
            final double[] p = column(points, "p");
            final double[] x = new double[p.length];
            for (int i = 0; i < p.length; i++)
            {
                x[i] = Math.log10(inverseTail(p[i]));
            }
            final double[] us = column(points, "us");
            for (final double v : us)
            {
                positive &= v > 0;
            }
            chart.addSeries(trace.label(), x, us).setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.ceil(Math.log10(inverseTail(LatencySpectrum.PERCENTILES[
            LatencySpectrum.PERCENTILES.length - 1]))));
        // A log scale cannot show a zero latency (the null backend's); then the latency axis stays linear.
        chart.getStyler().setYAxisLogarithmic(positive);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(ReportCharts::percentileLabel);
        // About one tick per decade (per nine).
        chart.getStyler().setXAxisTickMarkSpacingHint(WIDTH / 6);
        return chart.getSeriesMap().isEmpty() ? null : chart;
    }

    /**
     * @param run a run's JSON.
     * @return bars of Conduit ÷ peer throughput per round, with the median of the rounds as a line; null for
     *         a run without a peer.
     */
    public static CategoryChart ratio(final JsonNode run)
    {
        final List<String> rounds = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        for (final JsonNode round : run.path("rounds"))
        {
            final JsonNode ratio = round.path("ratio").path("gib_s");
            if (ratio.isNumber())
            {
                rounds.add("round " + round.path("round").asInt());
                ratios.add(ratio.asDouble());
            }
        }
        if (ratios.isEmpty())
        {
            return null;
        }
        final double median = VsFio.median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Conduit ÷ fio throughput per round").xAxisTitle("round").yAxisTitle("Conduit ÷ fio").build();
        style(chart);
        chart.addSeries("Conduit ÷ fio", rounds, ratios);
        final List<Double> medianLine = rounds.stream().map(r -> median).toList();
        chart.addSeries(String.format(Locale.ROOT, "median %.3f", median), rounds, medianLine)
            .setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        return chart;
    }

    /**
     * @param comparison two runs compared.
     * @return the change of each figure, B against A, in percent.
     */
    public static CategoryChart comparison(final RunComparison comparison)
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("B against A (change of each median, %)").xAxisTitle("figure").yAxisTitle("change (%)").build();
        style(chart);
        final List<String> figures = new ArrayList<>();
        final List<Double> changes = new ArrayList<>();
        for (final RunComparison.Row row : comparison.rows())
        {
            figures.add(row.figure());
            // A change from zero has no percentage; the table says so (NaN or Infinity), the bar stays at 0.
            changes.add(Double.isFinite(row.changePercent()) ? row.changePercent() : 0.0);
        }
        chart.addSeries("change %", figures, changes);
        return chart;
    }

    /**
     * @param percentile 0..100 (below 100).
     * @return {@code 1/(1-p)}: 2 at the median, 10 at p90, 1000 at p99.9.
     */
    static double inverseTail(final double percentile)
    {
        return 1.0 / (1.0 - percentile / 100.0);
    }

    /** Labels the {@code log10(1/(1-p))} axis's ticks with their percentile: 1 is 90%, 3 is 99.9%. */
    static String percentileLabel(final double x)
    {
        if (!Double.isFinite(x) || x < 0)
        {
            return "";
        }
        final double p = 100.0 * (1.0 - Math.pow(10, -x));
        return BigDecimal.valueOf(p).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
            .toPlainString() + "%";
    }

    private static String unitOfRate(final JsonNode run)
    {
        // S3 runs count requests, file runs I/Os.
        return run.path("conduit").has("req_s") ? "req/s" : "IOPS";
    }

    private static double[] column(final JsonNode array, final String field)
    {
        final double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = array.get(i).path(field).asDouble();
        }
        return values;
    }

    private static void style(final Chart<?, ?> chart)
    {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
    }
}
