package dev.conduit.cli.store;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit find}: conditions combined, prefix, limit, JSON lines, and the errors it reports. */
@Timeout(120)
class FindCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private String data;

    @BeforeEach
    void setUp() throws Exception
    {
        // Under target/, not /tmp: file namespaces use O_DIRECT, which tmpfs does not support.
        final Path base = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
        data = Files.createTempDirectory(base, "find-").resolve("store").toString();
        assertEquals(0, CliRun.run("--data", data, "format", "--size", "64m").exitCode());
        try (ScheduledStore store = ScheduledStore.open(Path.of(data), StoreOptions.DEFAULT, Priority.LATENCY);
            BucketStore buckets = new BucketStore(store))
        {
            buckets.createBucket("models");
            put(buckets, "ckpt/1", Map.of("loss", "0.5"), Map.of("stage", "tested"));
            put(buckets, "ckpt/2", Map.of("loss", "0.2"), Map.of("stage", "tested"));
            put(buckets, "ckpt/3", Map.of("loss", "0.1"), Map.of("stage", "draft"));
            put(buckets, "other/4", Map.of("loss", "0.05"), Map.of("stage", "tested"));
        }
    }

    private static void put(final BucketStore buckets, final String key, final Map<String, String> user,
        final Map<String, String> tags)
    {
        final byte[] body = key.getBytes(StandardCharsets.UTF_8);
        final S3Metadata meta = new S3Metadata("", "", "", "", "", "", user, tags, Map.of());
        try (ObjectUpload upload = buckets.beginPut("models", key, meta, body.length, false))
        {
            upload.append(MemorySegment.ofArray(body));
            upload.commit(body.length, null);
        }
    }

    @Test
    void shouldPrintMatchesInKeyOrder()
    {
        final CliRun run = CliRun.run("--data", data, "find", "models", "--where", "tag.stage=tested",
            "--where", "meta.loss<0.3");
        assertEquals(ExitCodes.OK, run.exitCode(), run.stderr());
        final String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.out());
        assertTrue(lines[0].startsWith("ckpt/2  6  "), lines[0]);
        assertTrue(lines[1].startsWith("other/4  7  "), lines[1]);

        final CliRun prefixed = CliRun.run("--data", data, "find", "models", "--where", "tag.stage", "--prefix", "ckpt/",
            "--limit", "2");
        assertEquals(2, prefixed.out().strip().split("\n").length, prefixed.out());
    }

    @Test
    void shouldPrintJsonLinesWithMetadataAndTags() throws Exception
    {
        final CliRun run = CliRun.run("--data", data, "find", "models", "--where", "meta.loss<=0.1", "--json");
        assertEquals(ExitCodes.OK, run.exitCode(), run.stderr());
        final String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.out());
        final JsonNode first = JSON.readTree(lines[0]);
        assertEquals("ckpt/3", first.get("key").asText());
        assertEquals("0.1", first.get("metadata").get("loss").asText());
        assertEquals("draft", first.get("tags").get("stage").asText());
    }

    @Test
    void shouldReportBadConditionsAndMissingBuckets()
    {
        final CliRun bad = CliRun.run("--data", data, "find", "models", "--where", "loss<0.3");
        assertEquals(ExitCodes.USAGE, bad.exitCode());
        assertTrue(bad.stderr().contains("tag.NAME or meta.NAME"), bad.stderr());
        final CliRun missing = CliRun.run("--data", data, "find", "nope", "--where", "tag.stage");
        assertEquals(ExitCodes.NOT_FOUND, missing.exitCode());
        assertTrue(missing.stderr().contains("NoSuchBucket"), missing.stderr());
    }
}
