package dev.conduit.bench.report;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The charts hold exactly the JSON's numbers: a real 2-round --vs-fio run (randread 4k, qd 16, 3 s). */
class ReportChartsTest
{
    static JsonNode fixture()
    {
        try
        {
            return ReportWriter.read(
                Path.of(ReportChartsTest.class.getResource("run-randread-4k-vs-fio.json").toURI()));
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldDrawEverySideOfEveryRoundSecondBySecond()
    {
        final JsonNode run = fixture();
        final XYChart chart = ReportCharts.throughput(run);
        final XYChart iopsChart = ReportCharts.iops(run);
        int traces = 0;
        for (final JsonNode round : run.path("rounds"))
        {
            for (final String side : List.of("conduit", "fio"))
            {
                final JsonNode samples = round.path(side).path("per_second");
                final String label = side + " r" + round.path("round").asInt();
                final XYSeries gib = chart.getSeriesMap().get(label + " GiB/s");
                final XYSeries iops = iopsChart.getSeriesMap().get(label + " IOPS");
                assertArrayEquals(column(samples, "t"), gib.getXData(), label);
                assertArrayEquals(column(samples, "gib_s"), gib.getYData(), label);
                assertArrayEquals(column(samples, "iops"), iops.getYData(), label);
                assertArrayEquals(column(samples, "t"), iops.getXData(), label);
                // A 3 s round is 3 seconds of samples.
                assertEquals(Math.round(run.path("config").path("time_s").asDouble()), samples.size(), label);
                traces++;
            }
        }
        assertEquals(4, traces);
        assertEquals(traces, chart.getSeriesMap().size());
        assertEquals(traces, iopsChart.getSeriesMap().size());
    }

    @Test
    void shouldDrawEachSpectrumMonotoneOverTheNines()
    {
        final JsonNode run = fixture();
        final XYChart chart = ReportCharts.latency(run);
        assertEquals(4, chart.getSeriesMap().size());
        for (final XYSeries series : chart.getSeriesMap().values())
        {
            final double[] x = series.getXData();
            final double[] y = series.getYData();
            assertEquals(11, x.length, series.getName());
            assertEquals(Math.log10(2), x[0], 1e-12, "p50 is 1/(1-0.5) = 2");
            assertEquals(5, x[x.length - 1], 1e-9, "p99.999 is 10^5");
            for (int i = 1; i < x.length; i++)
            {
                assertTrue(x[i] > x[i - 1] && y[i] >= y[i - 1], series.getName() + " " + Arrays.toString(y));
            }
        }
        assertEquals("90%", ReportCharts.percentileLabel(1));
        assertEquals("99.9%", ReportCharts.percentileLabel(3));
        assertEquals("99.999%", ReportCharts.percentileLabel(5));
    }

    @Test
    void shouldBarEachRoundsRatioAndMarkTheirMedian()
    {
        final JsonNode run = fixture();
        final CategoryChart chart = ReportCharts.ratio(run);
        final List<Double> ratios = new ArrayList<>();
        run.path("rounds").forEach(r -> ratios.add(r.path("ratio").path("gib_s").asDouble()));
        final CategorySeries bars = chart.getSeriesMap().get("Conduit ÷ fio");
        assertEquals(ratios, new ArrayList<>(bars.getYData()));
        final CategorySeries median = chart.getSeriesMap().values().stream()
            .filter(s -> s.getName().startsWith("median")).findFirst().orElseThrow();
        assertEquals(CategorySeries.CategorySeriesRenderStyle.Line, median.getChartCategorySeriesRenderStyle());
        // Two rounds: the median is their mean; the JSON's own median ratio agrees.
        final double expected = (ratios.get(0) + ratios.get(1)) / 2;
        median.getYData().forEach(v -> assertEquals(expected, v.doubleValue(), 1e-12));
        assertEquals(run.path("ratio").path("gib_s").asDouble(), expected, 1e-3);
    }

    @Test
    void shouldDrawConduitAloneAndNoRatioWithoutAPeer()
    {
        final ObjectNode run = fixture().deepCopy();
        run.set("conduit", run.path("rounds").get(0).path("conduit"));
        run.remove("rounds");
        run.putNull("fio");
        run.putNull("ratio");
        assertNull(ReportCharts.ratio(run));
        assertEquals(1, ReportCharts.throughput(run).getSeriesMap().size());
        assertEquals(1, ReportCharts.iops(run).getSeriesMap().size());
        assertNotNull(ReportCharts.latency(run).getSeriesMap().get("conduit"));
        ((ObjectNode)run.path("conduit")).remove(List.of("per_second", "lat_spectrum_us"));
        assertNull(ReportCharts.throughput(run), "nothing to draw");
        assertNull(ReportCharts.latency(run), "nothing to draw");
    }

    private static double[] column(final JsonNode array, final String field)
    {
        assertTrue(array instanceof ArrayNode && !array.isEmpty(), field);
        final double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = array.get(i).path(field).asDouble();
        }
        return values;
    }
}
