package dev.conduit.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metric names in docs/grafana/conduit-s3.json's queries, and the checker that finds them. */
class DashboardMetricsTest
{
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "conduit-s3.json");

    @Test
    void shouldFindOnlyMetricNamesInPromQl()
    {
        assertEquals(Set.of("conduit_s3_request_duration_seconds_bucket"), DashboardMetrics.inExpression(
            "histogram_quantile(0.99, sum by (le, operation) (rate(conduit_s3_request_duration_seconds_bucket" +
                "{instance=~\"$instance\", status=~\"4..|5..\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_sum", "a_count"),
            DashboardMetrics.inExpression("sum(rate(a_sum[5m])) / sum(rate(a_count[5m]))"));
        assertEquals(Set.of("up", "node_load1"),
            DashboardMetrics.inExpression("up offset 5m and on (job) group_left(x) node_load1 > bool 1e3"));
        assertEquals(Set.of("foo"), DashboardMetrics.inExpression("count_values(\"by version\", foo) * 2"));
        assertEquals(Set.of("job:rate5m"), DashboardMetrics.inExpression("max_over_time(job:rate5m[1h:1m])"));
    }

    @Test
    void shouldReadSampleNamesFromAScrape()
    {
        final String scrape = "# HELP a_total A.\n# TYPE a_total counter\na_total{op=\"get\"} 3\n" +
            "b_bucket{le=\"+Inf\"} 1\nb_count 1\n\n";
        assertEquals(Set.of("a_total", "b_bucket", "b_count"), DashboardMetrics.inScrape(scrape));
    }

    @Test
    void shouldQueryTheS3ServersMetricsAndSayWhatAScrapeLacks() throws Exception
    {
        final JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        for (final JsonNode panel : dashboard.path("panels"))
        {
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText() + " has queries");
        }
        final Set<String> names = DashboardMetrics.of(dashboard);
        // The families S3Metrics writes (ServeDashboardTest in cli checks them against a live scrape);
        // the histogram as its _bucket/_sum/_count samples.
        assertEquals(Set.of("conduit_s3_requests_total", "conduit_s3_received_bytes_total",
            "conduit_s3_sent_bytes_total", "conduit_s3_request_duration_seconds_bucket",
            "conduit_s3_request_duration_seconds_sum", "conduit_s3_request_duration_seconds_count",
            "conduit_s3_requests_in_flight", "conduit_s3_connections", "conduit_scheduler_pending_requests",
            "conduit_scheduler_in_flight_tasks", "conduit_s3_errors_total", "conduit_s3_internal_errors_total",
            "conduit_s3_corrupt_reads_total", "conduit_s3_rejected_connections_total", "conduit_s3_read_buffers_free",
            "conduit_s3_read_buffers"), names);

        final StringBuilder scrape = new StringBuilder();
        names.forEach(n -> scrape.append(n).append("{instance=\"x\"} 1\n"));
        assertTrue(DashboardMetrics.missing(dashboard, scrape.toString()).isEmpty());
        final String renamed = scrape.toString().replace("conduit_s3_connections{", "conduit_s3_open_connections{");
        assertEquals(Set.of("conduit_s3_connections"), DashboardMetrics.missing(dashboard, renamed));
    }
}
