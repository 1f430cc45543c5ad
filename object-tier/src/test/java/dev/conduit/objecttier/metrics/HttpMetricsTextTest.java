package dev.conduit.objecttier.metrics;

import java.util.List;

import dev.conduit.objecttier.S3Error;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scrape text: counters by operation and status, cumulative latency buckets, escaping. */
class HttpMetricsTextTest
{
    @Test
    void shouldRenderCumulativeLatencyBucketsAndCounts()
    {
        final S3Metrics metrics = new S3Metrics(List.of("GetObject", "PutObject"));
        metrics.record(0, 200, 0, 100, 300);
        metrics.record(0, 200, 0, 100, 3_000);
        metrics.record(0, 404, 0, 0, 2_000_000);
        metrics.record(1, 599, 10, 0, 50);
        final String text = metrics.scrape(3, 4);
        assertTrue(text.contains("conduit_s3_requests_total{operation=\"GetObject\",status=\"200\"} 2\n"), text);
        assertTrue(text.contains("conduit_s3_requests_total{operation=\"GetObject\",status=\"404\"} 1\n"), text);
        assertTrue(text.contains("conduit_s3_requests_total{operation=\"PutObject\",status=\"other\"} 1\n"), text);
        assertTrue(text.contains("conduit_s3_request_duration_seconds_bucket{operation=\"GetObject\",le=\"5.0E-4\"} 1\n"), text);
        assertTrue(text.contains("conduit_s3_request_duration_seconds_bucket{operation=\"GetObject\",le=\"0.005\"} 2\n"), text);
        assertTrue(text.contains("conduit_s3_request_duration_seconds_bucket{operation=\"GetObject\",le=\"2.5\"} 3\n"),
            text);
        assertTrue(text.contains("conduit_s3_request_duration_seconds_bucket{operation=\"GetObject\",le=\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("conduit_s3_request_duration_seconds_count{operation=\"GetObject\"} 3\n"), text);
        assertTrue(text.contains("conduit_s3_sent_bytes_total{operation=\"GetObject\"} 200\n"), text);
        assertTrue(text.contains("conduit_s3_read_buffers_free 3\n"), text);
    }

    @Test
    void shouldCountErrorsByTheirS3Code()
    {
        final S3Metrics metrics = new S3Metrics(List.of("GetObject"));
        metrics.error(S3Error.NoSuchKey);
        metrics.error(S3Error.NoSuchKey);
        metrics.error(S3Error.NoSuchBucket);
        final String text = metrics.scrape(0, 0);
        assertTrue(text.contains("conduit_s3_errors_total{code=\"NoSuchKey\"} 2\n"), text);
        assertTrue(text.contains("conduit_s3_errors_total{code=\"NoSuchBucket\"} 1\n"), text);
        assertTrue(!text.contains("code=\"AccessDenied\""), text);
    }

    @Test
    void shouldEscapeLabelValues()
    {
        final StringBuilder sb = new StringBuilder();
        new PrometheusText(sb).sample("m", 1.5, "l", "a\"b\\c\nd");
        assertTrue(sb.toString().equals("m{l=\"a\\\"b\\\\c\\nd\"} 1.5\n"), sb.toString());
    }
}
