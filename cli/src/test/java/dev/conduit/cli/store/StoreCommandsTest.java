package dev.conduit.cli.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.cli.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripted contract of format / put / get / ls / rm / stat / fsck, run through {@code Main.execute}. */
class StoreCommandsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private String data;

    @BeforeEach
    void setUp() throws IOException
    {
        // Under target/, not /tmp: file namespaces use O_DIRECT, which tmpfs does not support.
        final Path base = Path.of("target", "test-data").toAbsolutePath();
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "cli-");
        data = dir.resolve("store").toString();
    }

    private static byte[] random(final long seed, final int size)
    {
        final byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private void format(final String size, final String namespaces)
    {
        final CliRun r = CliRun.run("--data", data, "format", "--size", size, "--namespaces", namespaces);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.out().startsWith("formatted"), r.out());
    }

    private Path file(final String name, final byte[] content) throws IOException
    {
        final Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void shouldPutGetStatListAndRemoveThroughTheCli() throws IOException
    {
        format("64m", "2");
        final byte[] content = random(1, 3_000_123);
        final Path in = file("in.bin", content);
        final CliRun put = CliRun.run("--data", data, "put", "models/a", in.toString(), "--meta", "tested=true", "--content-type", "application/x-test", "--json");
        assertEquals(0, put.exitCode(), put.stderr());
        final JsonNode record = JSON.readTree(put.stdout());
        assertEquals(3_000_123, record.get("size").asLong());
        assertEquals(32, record.get("etag").asText().length());

        final Path out = dir.resolve("out.bin");
        assertEquals(0, CliRun.run("--data", data, "get", "models/a", out.toString()).exitCode());
        assertArrayEquals(content, Files.readAllBytes(out));

        final CliRun stat = CliRun.run("--data", data, "stat", "models/a", "--json");
        final JsonNode s = JSON.readTree(stat.stdout());
        assertEquals("application/x-test", s.get("contentType").asText());
        assertEquals("true", s.get("metadata").get("tested").asText());
        assertEquals(record.get("etag"), s.get("etag"));
        assertEquals(2, s.get("extents").size(), "striped over both namespaces");

        assertEquals(0, CliRun.run("--data", data, "put", "other/b", file("b", random(2, 10)).toString()).exitCode());
        final JsonNode ls = JSON.readTree(CliRun.run("--data", data, "ls", "models/", "--json").stdout());
        assertEquals(1, ls.size());
        assertEquals("models/a", ls.get(0).get("key").asText());
        assertEquals(2, CliRun.run("--data", data, "ls").out().lines().count());
        assertEquals(1, JSON.readTree(CliRun.run("--data", data, "ls", "--json", "--meta", "tested=true").stdout()).size());

        assertEquals(0, CliRun.run("--data", data, "rm", "models/a").exitCode());
        final CliRun again = CliRun.run("--data", data, "rm", "models/a");
        assertEquals(ExitCodes.NOT_FOUND, again.exitCode());
        assertEquals(1, again.stderr().lines().count(), "one line, no stack trace: " + again.stderr());
        assertTrue(again.stderr().contains("NOT_FOUND"));
        assertEquals(ExitCodes.NOT_FOUND, CliRun.run("--data", data, "stat", "models/a", "--json").exitCode());
    }

    @Test
    void shouldStreamStdinToStdout()
    {
        format("16m", "1");
        final byte[] content = random(3, 200_000);
        assertEquals(0, CliRun.run(content, "--data", data, "put", "piped", "-").exitCode());
        final CliRun get = CliRun.run("--data", data, "get", "piped", "-");
        assertEquals(0, get.exitCode(), get.stderr());
        assertArrayEquals(content, get.stdout());
    }

    @Test
    void shouldExitFourWhenFsckFindsDamageAndZeroAfterRepair() throws IOException
    {
        format("16m", "1");
        assertEquals(0, CliRun.run("--data", data, "put", "victim", file("v", random(4, 50_000)).toString()).exitCode());
        final CliRun clean = CliRun.run("--data", data, "fsck", "--json");
        assertEquals(0, clean.exitCode(), clean.out());
        assertTrue(JSON.readTree(clean.stdout()).get("clean").asBoolean());

        final JsonNode extent = JSON.readTree(CliRun.run("--data", data, "stat", "victim", "--json").stdout()).get("extents").get(0);
        try (RandomAccessFile ns = new RandomAccessFile(Path.of(data, String.format("ns-%03d.cdt", extent.get("namespace").asInt())).toFile(), "rw"))
        {
            ns.seek(extent.get("offset").asLong() + 1000);
            final int b = ns.read();
            ns.seek(extent.get("offset").asLong() + 1000);
            ns.write(b ^ 0xFF);
        }
        final CliRun get = CliRun.run("--data", data, "get", "victim", dir.resolve("x").toString());
        assertEquals(ExitCodes.DAMAGED, get.exitCode());
        assertTrue(get.stderr().contains("CORRUPT_EXTENT") && get.stderr().contains("victim"), get.stderr());
        assertFalse(Files.exists(dir.resolve("x")), "no half-written output file");

        final CliRun damaged = CliRun.run("--data", data, "fsck", "--json");
        assertEquals(ExitCodes.DAMAGED, damaged.exitCode());
        assertEquals("victim", JSON.readTree(damaged.stdout()).get("damagedKeys").get(0).asText());
        assertEquals(ExitCodes.DAMAGED, CliRun.run("--data", data, "fsck", "--repair").exitCode());
        assertEquals(0, CliRun.run("--data", data, "fsck").exitCode());
    }

    @Test
    void shouldExitFiveWhenTheStoreIsFullAndStayUsable() throws IOException
    {
        format("8m", "1");
        final CliRun full = CliRun.run("--data", data, "put", "big", file("big", random(5, 10 << 20)).toString());
        assertEquals(ExitCodes.NO_SPACE, full.exitCode());
        assertTrue(full.stderr().contains("NO_SPACE"), full.stderr());
        assertEquals(0, CliRun.run("--data", data, "put", "small", file("small", random(6, 1000)).toString()).exitCode());
    }

    @Test
    void shouldDrawProgressOnStderrWhenAsked() throws IOException
    {
        format("32m", "1");
        final CliRun put = CliRun.run("--data", data, "put", "p", file("p", random(7, 3 << 20)).toString(), "--progress");
        assertEquals(0, put.exitCode());
        assertTrue(put.stderr().contains("100%"), put.stderr());
        assertTrue(CliRun.run("--data", data, "put", "q", file("q", random(8, 10)).toString()).stderr().isEmpty(), "no bar when not a terminal");
    }

    @Test
    void shouldRefuseToFormatTwiceUnlessForced()
    {
        format("16m", "1");
        assertEquals(ExitCodes.FAILURE, CliRun.run("--data", data, "format", "--size", "16m").exitCode());
        assertEquals(0, CliRun.run("--data", data, "format", "--size", "16m", "--force", "--namespaces", "2").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("--data", data, "format", "--size", "lots").exitCode());
    }

    @Test
    void shouldFormatWithTheChunkSizeGivenAndVerifyReadsPerChunk() throws IOException
    {
        final CliRun r = CliRun.run("--data", data, "format", "--size", "16m", "--chunk-size", "64k");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.out().contains("CRC-32C per 64 KiB chunk"), r.out());
        final byte[] content = random(5, 300_000);
        assertEquals(0, CliRun.run("--data", data, "put", "small-chunks", file("c", content).toString()).exitCode());
        final JsonNode stat = JSON.readTree(CliRun.run("--data", data, "stat", "small-chunks", "--json").stdout());
        assertEquals(64 << 10, stat.get("chunkSize").asInt(), stat.toString());
        assertEquals(5, stat.get("chunks").asInt(), stat.toString());
        final CliRun get = CliRun.run("--data", data, "get", "small-chunks", "-");
        assertEquals(0, get.exitCode(), get.stderr());
        assertArrayEquals(content, get.stdout());
        final CliRun odd = CliRun.run("--data", dir.resolve("odd").toString(), "format", "--size", "16m", "--chunk-size", "3k");
        assertTrue(odd.exitCode() != 0, odd.out());
        assertTrue(odd.stderr().contains("chunkSizeBytes"), odd.stderr());
    }

    @Test
    void shouldReportUserMistakesOnOneLine()
    {
        format("16m", "1");
        final CliRun missingFile = CliRun.run("--data", data, "put", "k", dir.resolve("nope").toString());
        assertEquals(ExitCodes.NOT_FOUND, missingFile.exitCode());
        final CliRun longKey = CliRun.run("--data", data, "put", "x".repeat(1300), "-");
        assertEquals(ExitCodes.FAILURE, longKey.exitCode());
        assertTrue(longKey.stderr().contains("KEY_TOO_LONG"), longKey.stderr());
        final CliRun noStore = CliRun.run("--data", dir.resolve("empty").toString(), "ls");
        assertEquals(ExitCodes.NOT_FOUND, noStore.exitCode());
        for (final CliRun r : new CliRun[] {missingFile, longKey, noStore})
        {
            assertEquals(1, r.stderr().lines().count(), r.stderr());
        }
    }
}
