package dev.conduit.objecttier.tier;

import dev.conduit.objecttier.metrics.PrometheusText;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write-back gauges come from the queue's state at scrape time, one sample each. */
class TierMetricsTest
{
    @Test
    void shouldRenderTheWriteBackGaugesFromTheBacklog()
    {
        final StringBuilder out = new StringBuilder();
        new TierMetrics().render(new PrometheusText(out), new WriteBack.Backlog(3, 4096, 1.5, 1));
        final String text = out.toString();
        assertTrue(text.contains("# TYPE conduit_tier_uploads_running gauge"), text);
        assertTrue(text.contains("\nconduit_tier_uploads_running 1"), text);
        assertTrue(text.contains("\nconduit_tier_backlog_objects 3"), text);
        assertTrue(text.contains("\nconduit_tier_backlog_bytes 4096"), text);
        assertTrue(text.contains("\nconduit_tier_oldest_pending_seconds 1.5"), text);
    }
}
