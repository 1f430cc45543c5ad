package dev.conduit.bench.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --report DIR}: the page is self-contained and holds every chart; the PNGs and the JSON are beside it. */
class ReportWriterTest
{
    private static final byte[] PNG_MAGIC = {(byte)0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    /** Kept after the build (target/report-sample) to be looked at; each run replaces its files. */
    private static final Path SAMPLE = Path.of("target", "report-sample");

    @Test
    void shouldWriteASelfContainedPageThePngsAndTheJsonWithTheHost() throws Exception
    {
        final Path dir = SAMPLE;
        final Map<String, String> host = new LinkedHashMap<>();
        host.put("kernel", "Linux 6.18.44 amd64");
        host.put("file system", "ext4 at /tmp <&>");
        final Path page = ReportWriter.writeRun(dir, ReportChartsTest.fixture(), host);
        final String html = Files.readString(page, StandardCharsets.UTF_8);

        for (final String name : new String[] {"throughput", "iops", "latency", "ratio"})
        {
            final Matcher figure = Pattern.compile("<figure class=\"chart\" id=\"chart-" + name +
                "\" data-series=\"(\\d+)\">\\s*<svg[^>]*>(.*?)</svg>\\s*</figure>", Pattern.DOTALL).matcher(html);
            assertTrue(figure.find(), name + " chart inline");
            assertTrue(Integer.parseInt(figure.group(1)) > 0 && figure.group(2).contains("<path"), name + " drawn");
            final byte[] png = Files.readAllBytes(dir.resolve(name + ".png"));
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 4), name + ".png");
        }
        // Nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere (xmlns is a name, not a fetch).
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("<img"), "no external parts");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "no remote references");
        assertFalse(html.contains("url(http"), "no remote fonts");
        assertFalse(html.contains("<?xml") || html.contains("<!DOCTYPE svg"), "SVG prologs dropped inside HTML");
        assertTrue(html.contains("ext4 at /tmp &lt;&amp;&gt;"), "host facts in the header, escaped");

        final JsonNode written = ReportWriter.read(dir.resolve(ReportWriter.RESULT_JSON));
        assertEquals("Linux 6.18.44 amd64", written.path("host").path("kernel").asText());
        assertEquals(ReportChartsTest.fixture().path("rounds"), written.path("rounds"), "the run as it was");
    }

    @Test
    void shouldSayWhyAChartIsMissing() throws Exception
    {
        final ObjectNode run = ReportChartsTest.fixture().deepCopy();
        run.remove("rounds");
        final String html = Files.readString(ReportWriter.writeRun(dir, run, Map.of()), StandardCharsets.UTF_8);
        assertTrue(html.contains("No peer ran"), html);
        assertFalse(Files.exists(dir.resolve("ratio.png")));
    }
}
