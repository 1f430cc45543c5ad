package dev.conduit.cli.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.objecttier.audit.AuditEvent;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit audit}: listing with filters, JSON lines, and {@code --verify} with and without a recorded head. */
@Timeout(120)
class AuditCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    private String data;
    private long nowMs;

    @BeforeEach
    void setUp() throws Exception
    {
        // Under target/, not /tmp: file namespaces use O_DIRECT, which tmpfs does not support.
        final Path base = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
        data = Files.createTempDirectory(base, "audit-").resolve("store").toString();
        assertEquals(0, CliRun.run("--data", data, "format", "--size", "64m").exitCode());
        nowMs = System.currentTimeMillis();
        try (ScheduledStore store = ScheduledStore.open(Path.of(data), StoreOptions.DEFAULT, Priority.LATENCY);
            AuditLog log = AuditLog.open(store.store()))
        {
            log.append(new AuditEvent(nowMs - 3 * HOUR_MS, "AK1", "CreateBucket", "b", "", "", "", 200, "", "r1"))
                .get(10, TimeUnit.SECONDS);
            log.append(new AuditEvent(nowMs - 2 * HOUR_MS, "AK1", "PutObject", "b", "x", "", "\"e1\"", 200, "", "r2"))
                .get(10, TimeUnit.SECONDS);
            log.append(new AuditEvent(nowMs - HOUR_MS / 2, "AK2", "PutObject", "b", "y", "", "\"e2\"", 200, "", "r3"))
                .get(10, TimeUnit.SECONDS);
            log.append(new AuditEvent(nowMs - HOUR_MS / 4, "", "DeleteObject", "b", "x", "", "", 403, "AccessDenied",
                "r4")).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldListEntriesAsTextAndFilterThem()
    {
        final CliRun all = CliRun.run("--data", data, "audit");
        assertEquals(ExitCodes.OK, all.exitCode(), all.stderr());
        final String[] lines = all.out().strip().split("\n");
        assertEquals(4, lines.length, all.out());
        assertTrue(lines[1].matches("2 \\S+ AK1 PutObject b/x 200 etag=\"e1\""), lines[1]);
        assertTrue(lines[3].matches("4 \\S+ - DeleteObject b/x 403 AccessDenied"), lines[3]);
        assertTrue(all.stderr().contains("4 entries"), all.stderr());

        final CliRun recent = CliRun.run("--data", data, "audit", "--since", "1h");
        assertEquals(2, recent.out().strip().split("\n").length, recent.out());
        final CliRun key = CliRun.run("--data", data, "audit", "--key", "x");
        assertEquals(2, key.out().strip().split("\n").length, key.out());
        final CliRun none = CliRun.run("--data", data, "audit", "--bucket", "other");
        assertEquals("", none.out().strip());
    }

    @Test
    void shouldPrintStoredJsonLines() throws IOException
    {
        final CliRun json = CliRun.run("--data", data, "audit", "--json", "--key", "y");
        assertEquals(ExitCodes.OK, json.exitCode(), json.stderr());
        final JsonNode entry = JSON.readTree(json.out().strip());
        assertEquals(3, entry.get("seq").asLong());
        assertEquals("AK2", entry.get("accessKey").asText());
        assertEquals(64, entry.get("hash").asText().length());
    }

    @Test
    void shouldVerifyTheChainAndCatchATruncationAgainstARecordedHead() throws Exception
    {
        final CliRun ok = CliRun.run("--data", data, "audit", "--verify");
        assertEquals(ExitCodes.OK, ok.exitCode(), ok.stderr());
        assertTrue(ok.out().startsWith("audit log intact: 4 entries; head 4:"), ok.out());
        final String head = ok.out().strip().substring(ok.out().indexOf("head ") + 5);

        assertEquals(ExitCodes.OK, CliRun.run("--data", data, "audit", "--verify", "--expect-head", head).exitCode());
        assertEquals(0, CliRun.run("--data", data, "rm", ".audit/0000000000000000004").exitCode());
        final CliRun truncated = CliRun.run("--data", data, "audit", "--verify", "--expect-head", head);
        assertEquals(ExitCodes.DAMAGED, truncated.exitCode(), truncated.out() + truncated.stderr());
        assertTrue(truncated.stderr().contains("entry 4 of the recorded head is missing"), truncated.stderr());

        assertEquals(0, CliRun.run("--data", data, "rm", ".audit/0000000000000000002").exitCode());
        final CliRun dropped = CliRun.run("--data", data, "audit", "--verify");
        assertEquals(ExitCodes.DAMAGED, dropped.exitCode());
        assertTrue(dropped.stderr().contains("audit: entry 2 is missing"), dropped.stderr());
    }

    @Test
    void shouldRefuseMalformedArguments()
    {
        assertEquals(ExitCodes.USAGE, CliRun.run("--data", data, "audit", "--since", "yesterday").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("--data", data, "audit", "--verify", "--expect-head", "abc").exitCode());
    }
}
