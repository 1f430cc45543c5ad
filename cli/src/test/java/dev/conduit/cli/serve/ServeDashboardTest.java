package dev.conduit.cli.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.bench.report.DashboardMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard shipped in docs/grafana is only useful if its queries name metrics the
 * server really exports: scrape a running {@code conduit serve} after some traffic (including an
 * error) and check every metric name the dashboard's PromQL uses appears in the scrape.
 */
@Timeout(180)
class ServeDashboardTest
{
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "conduit-s3.json");

    @TempDir
    Path tmp;

    @Test
    void shouldExportEveryMetricTheDashboardQueries() throws Exception
    {
        final JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        final Set<String> queried = DashboardMetrics.of(dashboard);
        assertTrue(queried.size() >= 5, "the dashboard should query several metrics: " + queried);

        try (ServeProcess serve = ServeProcess.serve(tmp.resolve("data"), Map.of()))
        {
            final ServeProcess.Banner banner = serve.awaitBanner();
            try (S3Client s3 = S3Clients.withoutRetries(banner))
            {
                s3.createBucket(b -> b.bucket("dash"));
                s3.putObject(b -> b.bucket("dash").key("k"), RequestBody.fromString("metrics"));
                assertEquals("metrics", s3.getObjectAsBytes(b -> b.bucket("dash").key("k")).asUtf8String());
                assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket("dash").key("none")));
            }
            final HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(banner.endpoint() + "/_conduit/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            assertEquals(Set.of(), DashboardMetrics.missing(dashboard, scrape.body()),
                "metrics the dashboard queries but the server does not export");
            serve.terminate();
        }
    }
}
