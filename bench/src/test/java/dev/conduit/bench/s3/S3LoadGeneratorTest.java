package dev.conduit.bench.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.bench.BenchResult;
import dev.conduit.bench.Progress;
import dev.conduit.bench.report.ReportCharts;
import dev.conduit.core.ConduitException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 load generator against a real S3 server: S3Proxy, a child process with a filesystem backend. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class S3LoadGeneratorTest
{
    private static final String ID = "bench-id";
    private static final String SECRET = "bench-secret";
    private static final long TWO_SECONDS_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int OBJECT_BYTES = 64 << 10;

    @TempDir
    static Path dir;

    private static S3ProxyPeer peer;

    @BeforeAll
    static void startPeer() throws IOException
    {
        peer = S3ProxyPeer.start(S3ProxyPeer.locateJar(), dir, 0, ID, SECRET);
    }

    @AfterAll
    static void stopPeer()
    {
        if (peer != null)
        {
            peer.close();
        }
    }

    private static S3BenchConfig config(final String prefix, final S3Mode mode, final String secret, final boolean setup)
    {
        return new S3BenchConfig(S3Target.parse("s3://bench-bucket/" + prefix, peer.endpoint().toString()),
            new S3Credentials(ID, secret, "us-east-1"), mode, 0.5, 8, OBJECT_BYTES, 4, TWO_SECONDS_NS, 0, 1, 0, setup, false);
    }

    private static Path objectFile(final String prefix, final int index)
    {
        return dir.resolve("data").resolve("bench-bucket").resolve(prefix + String.format("obj-%08d", index));
    }

    @Test
    void shouldPutTheObjectsThenGetThemWholeWithoutErrors() throws IOException
    {
        final S3Report report = S3Bench.run(config("get/", S3Mode.GET, SECRET, true), Progress.silent());
        for (int i = 0; i < 8; i++)
        {
            assertEquals(OBJECT_BYTES, Files.size(objectFile("get/", i)), "setup put object " + i);
        }
        final S3Result round = report.rounds().getFirst();
        final BenchResult r = round.result();
        assertTrue(round.errors().isEmpty(), round.errorsText());
        assertTrue(r.ios() > 10, "GETs in 2 s: " + r.ios());
        assertEquals(r.ios(), round.gets());
        assertEquals(0, round.puts());
        assertEquals(r.ios() * OBJECT_BYTES, r.bytes());
        assertEquals(r.bytes(), round.getBytes());
        assertEquals(r.ios(), r.latencySamples());
        assertEquals(r.ios(), round.requests());
        assertTrue(r.seconds() >= 2.0 && r.seconds() < 40, "measured from start to the last response: " + r.seconds());
        assertEquals(r.ios() / r.seconds(), r.iops(), 1e-6 * r.iops());
        assertTrue(r.p50Us() > 0 && r.p50Us() <= round.p90Us() && round.p90Us() <= r.p99Us() && r.p99Us() <= r.maxUs());
        assertEquals(2, r.perSecond().size(), "one sample per second of a 2 s round: " + r.perSecond());
        assertEquals(r.p50Us(), r.spectrum().getFirst().us(), 1e-9);
    }

    @Test
    void shouldPutObjectsOfTheBlockSizeAndCountEveryByte() throws IOException
    {
        final S3Report report = S3Bench.run(config("put/", S3Mode.PUT, SECRET, false), Progress.silent());
        final S3Result round = report.rounds().getFirst();
        assertTrue(round.errors().isEmpty(), round.errorsText());
        assertTrue(round.puts() > 10, "PUTs in 2 s: " + round.puts());
        assertEquals(round.result().ios(), round.puts());
        assertEquals(0, round.gets());
        assertEquals(round.puts() * OBJECT_BYTES, round.result().bytes());
        try (Stream<Path> files = Files.list(dir.resolve("data").resolve("bench-bucket").resolve("put")))
        {
            final long[] sizes = files.mapToLong(f -> f.toFile().length()).toArray();
            assertTrue(sizes.length >= 1 && sizes.length <= 8, "PUTs went to the 8 keys of the set: " + sizes.length);
            for (final long size : sizes)
            {
                assertEquals(OBJECT_BYTES, size);
            }
        }
    }

    @Test
    void shouldMixGetsAndPutsAndReportThemInTheBenchJsonShape()
    {
        final S3Report report = S3Bench.run(config("mixed/", S3Mode.MIXED, SECRET, true), Progress.silent());
        final S3Result round = report.rounds().getFirst();
        assertTrue(round.errors().isEmpty(), round.errorsText());
        assertTrue(round.gets() > 0 && round.puts() > 0, "gets " + round.gets() + " puts " + round.puts());
        assertEquals(round.gets() + round.puts(), round.result().ios());
        assertEquals((round.gets() + round.puts()) * OBJECT_BYTES, round.result().bytes());
        final JsonNode json = report.json();
        final JsonNode side = json.get("conduit");
        for (final String p : new String[] {"p50", "p90", "p99", "p999", "max", "samples"})
        {
            assertTrue(side.get("lat_us").has(p), p);
        }
        assertEquals(round.result().ios(), side.get("ios").asLong());
        assertEquals(round.result().iops(), side.get("req_s").asDouble(), 0.1);
        assertTrue(side.get("gib_s").asDouble() > 0);
        assertEquals(0, side.get("errors").size());
        assertTrue(json.get("fio").isNull());
        assertEquals("mixed", json.get("config").get("mode").asText());
        assertEquals(OBJECT_BYTES, json.get("config").get("bs").asLong());
        assertTrue(report.text().contains("errors: none"), report.text());
        // The report draws the round's requests per second and its spectrum.
        final JsonNode first = json.get("rounds").get(0).get("conduit");
        assertEquals(first.get("per_second").size(), ReportCharts.iops(json).getSeriesMap().get("conduit r1 req/s")
            .getXData().length);
        assertEquals(first.get("lat_spectrum_us").size(), ReportCharts.latency(json).getSeriesMap().get("conduit r1")
            .getXData().length);
    }

    @Test
    void shouldReportForbiddenRequestsWhenTheSecretIsWrong()
    {
        S3Bench.run(new S3BenchConfig(S3Target.parse("s3://bench-bucket/denied/", peer.endpoint().toString()),
            new S3Credentials(ID, SECRET, "us-east-1"), S3Mode.PUT, 0, 8, OBJECT_BYTES, 1, 100_000_000L, 0, 1, 0, true,
            false), Progress.silent());
        final S3Report report = S3Bench.run(config("denied/", S3Mode.GET, "not-the-secret", false), Progress.silent());
        final S3Result round = report.rounds().getFirst();
        assertEquals(0, round.result().ios());
        assertEquals(0, round.result().bytes());
        assertTrue(round.errors().getOrDefault("403", 0L) > 0, round.errorsText());
        assertEquals(round.errors().get("403"), round.errorCount(), "nothing but 403s: " + round.errorsText());
        assertEquals(round.errorCount(), report.json().get("conduit").get("errors").get("403").asLong());
        assertTrue(report.text().contains("403 x "), report.text());
    }

    @Test
    void shouldStopASetupThatIsRefusedNamingTheStatus()
    {
        final ConduitException e = assertThrows(ConduitException.class,
            () -> S3Bench.run(config("refused/", S3Mode.GET, "not-the-secret", true), Progress.silent()));
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    @Test
    void shouldPresignGetUrlsThatPlainHttpClientsCanUse() throws Exception
    {
        final S3BenchConfig config = config("presigned/", S3Mode.GET, SECRET, true);
        S3Bench.run(new S3BenchConfig(config.target(), config.credentials(), S3Mode.PUT, 0, 2, OBJECT_BYTES, 1,
            100_000_000L, 0, 1, 0, true, false), Progress.silent());
        final ByteArrayOutputStream urls = new ByteArrayOutputStream();
        S3Presign.print(config.target(), config.credentials(), 2, Duration.ofMinutes(5),
            new PrintStream(urls, true, StandardCharsets.UTF_8));
        final String[] lines = urls.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length);
        try (HttpClient http = HttpClient.newHttpClient())
        {
            final HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(URI.create(lines[1])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode());
            assertArrayEquals(Files.readAllBytes(objectFile("presigned/", 1)), ok.body(), "the object S3Proxy stored");
            final String tampered = lines[1].replace("obj-00000001", "obj-00000000");
            assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the signature covers the key");
        }
    }

    @Test
    void shouldCountRefusedConnectionsAndStopASetupThatCannotConnect() throws IOException
    {
        final int deadPort = S3ProxyPeer.freePort();
        final S3Target nowhere = S3Target.parse("s3://bench-bucket/x/", "http://127.0.0.1:" + deadPort);
        final S3Report report = S3Bench.run(new S3BenchConfig(nowhere, new S3Credentials(ID, SECRET, "us-east-1"),
            S3Mode.GET, 0, 8, OBJECT_BYTES, 2, 500_000_000L, 0, 1, 0, false, false), Progress.silent());
        final S3Result round = report.rounds().getFirst();
        assertEquals(0, round.result().ios());
        assertTrue(round.errors().getOrDefault("connect", 0L) > 0, round.errorsText());
        final ConduitException e = assertThrows(ConduitException.class, () -> S3Bench.run(new S3BenchConfig(nowhere,
            new S3Credentials(ID, SECRET, "us-east-1"), S3Mode.GET, 0, 8, OBJECT_BYTES, 2, 500_000_000L, 0, 1, 0, true,
            false), Progress.silent()));
        assertTrue(e.getMessage().contains("connect"), e.getMessage());
    }

    /** Any HTTP server will do for GETs: this one answers every request with the object's bytes. */
    private static HttpServer objectServer(final boolean closeEach) throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        final byte[] body = new byte[OBJECT_BYTES];
        server.createContext("/", exchange ->
        {
            if (closeEach)
            {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    void shouldOpenAnotherConnectionWhenTheServerClosesOneAfterEachResponse() throws IOException
    {
        final S3Report report = getFromObjectServer(true, 1_000_000_000L, 0);
        final S3Result round = report.rounds().getFirst();
        assertTrue(round.errors().isEmpty(), round.errorsText());
        assertTrue(round.result().ios() > 2, "more responses than connections: " + round.result().ios());
        assertEquals(round.result().ios() * OBJECT_BYTES, round.result().bytes());
    }

    @Test
    void shouldStartRequestsOnScheduleWhenGivenARate() throws IOException
    {
        final S3Report report = getFromObjectServer(false, 2_000_000_000L, 40);
        final S3Result round = report.rounds().getFirst();
        assertTrue(round.errors().isEmpty(), round.errorsText());
        // 40 a second over 2 s: about 80, whatever the server could do (the last may end after the stop).
        final long ios = round.result().ios();
        assertTrue(ios >= 60 && ios <= 84, "requests at --rate 40 for 2 s: " + ios);
        assertTrue(report.json().get("config").get("latency_from").asText().contains("scheduled"));
        assertEquals(40, report.json().get("config").get("rate_iops").asLong());
    }

    /**
     * One GET round of four objects over two connections against {@link #objectServer}.
     *
     * @param closeEach whether the server closes the connection after each response.
     * @param timeNs    the measured time.
     * @param rateOps   requests a second, or 0 for as fast as the server answers.
     * @return the report.
     */
    private static S3Report getFromObjectServer(final boolean closeEach, final long timeNs, final long rateOps) throws IOException
    {
        final HttpServer server = objectServer(closeEach);
        try
        {
            final S3Target target = S3Target.parse("s3://any-bucket/p/", "http://127.0.0.1:" + server.getAddress().getPort());
            return S3Bench.run(new S3BenchConfig(target, new S3Credentials(ID, SECRET, "us-east-1"),
                S3Mode.GET, 0, 4, OBJECT_BYTES, 2, timeNs, 0, 1, rateOps, false, false), Progress.silent());
        }
        finally
        {
            server.stop(0);
        }
    }
}
