package dev.conduit.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.bench.s3.S3BenchConfig;
import dev.conduit.bench.s3.S3Mode;
import dev.conduit.bench.s3.S3ProxyPeer;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit bench --target s3://...}: parsing, refusals before any request, and one run against S3Proxy. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BenchCommandS3Test
{
    private static final Map<String, String> CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", "cli-id",
        "AWS_SECRET_ACCESS_KEY", "cli-secret");

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err)
    {
    }

    private static CommandLine commandLine(final Map<String, String> env, final StringWriter out, final StringWriter err)
    {
        final CommandLine cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        ((BenchCommand)cmd.getSubcommands().get("bench").getCommandSpec().userObject()).environment(env);
        return cmd;
    }

    private static Run run(final Map<String, String> env, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = commandLine(env, out, err).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static S3BenchConfig parse(final Map<String, String> env, final String... args)
    {
        final CommandLine cmd = commandLine(env, new StringWriter(), new StringWriter());
        cmd.parseArgs(args);
        return ((BenchCommand)cmd.getSubcommands().get("bench").getCommandSpec().userObject()).s3Config();
    }

    @Test
    void shouldReadTheS3OptionsAndTheSharedSizeAndTimeOptions()
    {
        final S3BenchConfig c = parse(Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret",
            "AWS_REGION", "eu-west-1"), "bench", "--target", "s3://my-bucket/runs/a/", "--endpoint", "http://127.0.0.1:9000",
            "--mode", "mixed", "--get-ratio", "0.75", "--objects", "100", "--bs", "64m", "--concurrency", "8", "--time",
            "5s", "--ramp", "500ms", "--rounds", "2", "--no-setup", "--cleanup");
        assertEquals("my-bucket", c.target().bucket());
        assertEquals("runs/a/", c.target().prefix());
        assertEquals(9000, c.target().port());
        assertEquals(S3Mode.MIXED, c.mode());
        assertEquals(0.75, c.getRatio());
        assertEquals(100, c.objects());
        assertEquals(64L << 20, c.objectBytes());
        assertEquals(8, c.concurrency());
        assertEquals(5_000_000_000L, c.timeNs());
        assertEquals(500_000_000L, c.rampNs());
        assertEquals(2, c.rounds());
        assertFalse(c.setup());
        assertTrue(c.cleanup());
        assertEquals("eu-west-1", c.credentials().region());
        assertFalse(c.credentials().toString().contains("secret"), "the secret is never printed");
    }

    @Test
    void shouldDefaultToTenSecondsOfGetsInOneRoundInUsEast1()
    {
        final S3BenchConfig c = parse(CREDENTIALS, "bench", "--target", "s3://bkt", "--endpoint", "http://localhost:9000");
        assertEquals(S3Mode.GET, c.mode());
        assertEquals("", c.target().prefix());
        assertEquals(S3BenchConfig.TIME_DEFAULT_NS, c.timeNs());
        assertEquals(1, c.rounds());
        assertEquals(32, c.concurrency());
        assertEquals("us-east-1", c.credentials().region());
        assertTrue(c.setup());
    }

    @Test
    void shouldRefuseBadS3ArgumentsAsInvalidArguments()
    {
        assertRefused(CREDENTIALS, "s3://", "bench", "--target", "s3://", "--endpoint", "http://127.0.0.1:1");
        assertRefused(CREDENTIALS, "bucket name", "bench", "--target", "s3://Bad_Bucket/x", "--endpoint", "http://127.0.0.1:1");
        assertRefused(CREDENTIALS, "--endpoint", "bench", "--target", "s3://bkt/x");
        assertRefused(CREDENTIALS, "--endpoint", "bench", "--target", "s3://bkt/x", "--endpoint", "ftp://127.0.0.1:1");
        assertRefused(CREDENTIALS, "--mode", "bench", "--target", "s3://bkt/x", "--endpoint", "http://127.0.0.1:1",
            "--mode", "randread");
        assertRefused(CREDENTIALS, "--get-ratio", "bench", "--target", "s3://bkt/x", "--endpoint", "http://127.0.0.1:1",
            "--mode", "mixed", "--get-ratio", "1.5");
        assertRefused(CREDENTIALS, "--get-ratio", "bench", "--target", "s3://bkt/x", "--endpoint", "http://127.0.0.1:1",
            "--get-ratio", "0.5");
        assertRefused(CREDENTIALS, "--objects", "bench", "--target", "s3://bkt/x", "--endpoint", "http://127.0.0.1:1",
            "--objects", "0");
        assertRefused(CREDENTIALS, "--vs-fio", "bench", "--target", "s3://bkt/x", "--endpoint", "http://127.0.0.1:1",
            "--vs-fio");
        assertRefused(CREDENTIALS, "s3:// target", "bench", "--target", dir.resolve("f").toString(), "--objects", "4");
    }

    @Test
    void shouldRefuseToRunWithoutCredentials()
    {
        assertRefused(Map.of(), "AWS_ACCESS_KEY_ID", "bench", "--target", "s3://bkt/x", "--endpoint", "http://127.0.0.1:1");
        assertRefused(Map.of("AWS_ACCESS_KEY_ID", "id"), "AWS_SECRET_ACCESS_KEY", "bench", "--target", "s3://bkt/x",
            "--endpoint", "http://127.0.0.1:1");
    }

    private static void assertRefused(final Map<String, String> env, final String mentions, final String... args)
    {
        final Run r = run(env, args);
        assertEquals(ExitCodes.FAILURE, r.exitCode(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().contains("[INVALID_ARGUMENT]") && r.err().contains(mentions), r.err());
        assertEquals("", r.out(), "nothing reported: nothing ran");
    }

    @Test
    void shouldLoadS3ProxyAndPrintTheBenchJson() throws IOException
    {
        try (S3ProxyPeer peer = S3ProxyPeer.start(S3ProxyPeer.locateJar(), dir, 0, "cli-id", "cli-secret"))
        {
            final Run r = run(CREDENTIALS, "bench", "--target", "s3://cli-bucket/p/", "--endpoint",
                peer.endpoint().toString(), "--objects", "4", "--bs", "4k", "--qd", "2", "--time", "1s", "--json",
                "--report", dir.resolve("report").toString());
            assertEquals(0, r.exitCode(), r.err());
            final JsonNode json = new ObjectMapper().readTree(r.out());
            final JsonNode side = json.get("conduit");
            assertTrue(side.get("ios").asLong() > 0, r.out());
            assertEquals(side.get("ios").asLong() * 4096, side.get("bytes").asLong());
            assertEquals(0, side.get("errors").size(), r.out());
            assertEquals("get", json.get("config").get("mode").asText());
            assertEquals(2, json.get("config").get("qd").asInt());
            // --report: the same run, where it ran, and its requests per second drawn.
            final JsonNode written = new ObjectMapper().readTree(dir.resolve("report").resolve("result.json").toFile());
            assertEquals(json.get("rounds"), written.get("rounds"));
            assertTrue(written.get("host").get("device / target").asText().startsWith("s3://cli-bucket/p/ at http://"));
            final String html = Files.readString(dir.resolve("report").resolve("report.html"));
            assertTrue(html.contains("id=\"chart-iops\"") && html.contains("req/s"), html);
        }
    }
}
