package dev.conduit.cli.serve;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety as a client sees it: PUTs stream from the AWS SDK (default CRC32 checksums) on
 * several threads while {@code conduit serve} is killed with SIGKILL at a random moment; after a
 * restart on the same data directory every PUT that got a 200 reads back byte for byte, and every
 * key listed is one that was sent, whole (a PUT cut by the kill is either absent or complete).
 * Repeated for {@code conduit.serve.kills} rounds (default 2); the seed is printed and can be
 * replayed with {@code -Dconduit.serve.kill.seed=N}. Finally the audit log must verify and hold an
 * entry for every acknowledged PUT.
 */
@Timeout(600)
class ServeKillTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "kill9";
    private static final int WRITERS = 3;
    private static final int MAX_PUTS_PER_WRITER = 2_000;
    private static final int[] SIZES = {0, 1, 4096, 65_537, 1 << 20, 5 << 20};
    private static final long MIN_KILL_DELAY_MS = 200;
    private static final long MAX_KILL_DELAY_MS = 3_000;

    @TempDir
    Path tmp;

    @Test
    void shouldKeepEveryAcknowledgedPutAcrossKillNine() throws Exception
    {
        final long seed = Long.getLong("conduit.serve.kill.seed", new Random().nextLong());
        final int kills = Integer.getInteger("conduit.serve.kills", 2);
        System.out.println("ServeKillTest seed " + seed + " (replay: -Dconduit.serve.kill.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path data = tmp.resolve("var");
        final Set<String> acknowledged = new HashSet<>();
        final Set<String> sent = new HashSet<>();

        for (int round = 0; round < kills; round++)
        {
            try (ServeProcess serve = ServeProcess.serve(data, Map.of()))
            {
                final ServeProcess.Banner banner = serve.awaitBanner();
                try (S3Client s3 = S3Clients.withoutRetries(banner))
                {
                    verify(s3, acknowledged, sent, "round " + round + " after restart");
                    if (round == 0)
                    {
                        s3.createBucket(b -> b.bucket(BUCKET));
                    }
                    final Stream stream = new Stream(s3, seed, round);
                    stream.start();
                    stream.awaitFirstAck();
                    final long delayMs = MIN_KILL_DELAY_MS + (long)(random.nextDouble() * (MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS));
                    Thread.sleep(delayMs);
                    stream.killing = true;
                    serve.kill9();
                    stream.join();
                    System.out.println("round " + round + ": killed after " + delayMs + " ms, "
                        + stream.acked.size() + " PUTs acknowledged, " + stream.attempted.size() + " sent");
                    acknowledged.addAll(stream.acked);
                    sent.addAll(stream.attempted);
                }
            }
        }
        try (ServeProcess serve = ServeProcess.serve(data, Map.of()))
        {
            try (S3Client s3 = S3Clients.of(serve.awaitBanner()))
            {
                verify(s3, acknowledged, sent, "final restart");
            }
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
        final ServeProcess fsck = ServeProcess.run(data, Map.of(), "fsck");
        assertEquals(ExitCodes.OK, fsck.exitCode(), fsck.output());
        verifyAudit(data, acknowledged);
    }

    /** The audit log survived the kills intact, and every acknowledged PUT has its entry. */
    private static void verifyAudit(final Path data, final Set<String> acknowledged) throws Exception
    {
        final ServeProcess verified = ServeProcess.run(data, Map.of(), "audit", "--verify");
        assertEquals(ExitCodes.OK, verified.exitCode(), verified.output());
        final ServeProcess listed = ServeProcess.run(data, Map.of(), "audit", "--json", "--bucket", BUCKET);
        assertEquals(ExitCodes.OK, listed.exitCode(), listed.output());
        final Set<String> auditedPuts = new HashSet<>();
        for (final String line : listed.output().split("\n"))
        {
            if (line.startsWith("{"))
            {
                final JsonNode entry = JSON.readTree(line);
                if ("PutObject".equals(entry.get("operation").asText()) && entry.get("status").asInt() == 200)
                {
                    auditedPuts.add(entry.get("key").asText());
                }
            }
        }
        for (final String key : acknowledged)
        {
            assertTrue(auditedPuts.contains(key), "acknowledged PUT without an audit entry: " + key);
        }
        System.out.println("audit: chain intact; " + auditedPuts.size() + " PUT entries cover all "
            + acknowledged.size() + " acknowledged PUTs");
    }

    private static void verify(final S3Client s3, final Set<String> acknowledged, final Set<String> sent, final String when)
    {
        if (sent.isEmpty())
        {
            return;
        }
        final Set<String> listed = new HashSet<>();
        for (final S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents())
        {
            listed.add(object.key());
            assertTrue(sent.contains(object.key()), when + ": listed a key never sent: " + object.key());
            assertEquals(expected(object.key()).length, object.size(), when + ": half-written object listed: " + object.key());
        }
        for (final String key : acknowledged)
        {
            assertTrue(listed.contains(key), when + ": acknowledged PUT lost: " + key);
        }
        for (final String key : listed)
        {
            assertArrayEquals(expected(key), s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(), when + ": " + key);
        }
        System.out.println(when + ": " + acknowledged.size() + " acknowledged PUTs read back intact, "
            + (listed.size() - acknowledged.size()) + " cut PUTs complete");
    }

    /** Content is a function of the key alone, so any listed object can be checked without a record of it. */
    private static byte[] expected(final String key)
    {
        final SplittableRandom content = new SplittableRandom(key.hashCode());
        final byte[] bytes = new byte[SIZES[Math.floorMod(key.hashCode(), SIZES.length)]];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)content.nextInt(256);
        }
        return bytes;
    }

    /** {@link #WRITERS} threads, each PUTting new keys in a loop until a PUT fails (the kill) or its cap. */
    private static final class Stream
    {
        private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> attempted = new ConcurrentLinkedQueue<>();
        private final AtomicInteger firstAck = new AtomicInteger();
        private final AtomicReference<RuntimeException> failedBeforeKill = new AtomicReference<>();
        private final List<Thread> threads;
        private volatile boolean killing;

        Stream(final S3Client s3, final long seed, final int round)
        {
            threads = IntStream.range(0, WRITERS)
                .mapToObj(w -> Thread.ofPlatform().name("put-" + w).unstarted(() -> write(s3, "s" + seed + "/r" + round + "/w" + w + "/")))
                .toList();
        }

        void start()
        {
            threads.forEach(Thread::start);
        }

        void awaitFirstAck() throws InterruptedException
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (firstAck.get() == 0 && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(5);
            }
            assertTrue(firstAck.get() > 0, "no PUT succeeded within 60 s");
        }

        void join() throws InterruptedException
        {
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(120));
                assertTrue(!thread.isAlive(), thread.getName() + " did not stop after the kill");
            }
            if (failedBeforeKill.get() != null)
            {
                throw new AssertionError("a PUT failed while the server was up", failedBeforeKill.get());
            }
        }

        private void write(final S3Client s3, final String prefix)
        {
            for (int i = 0; i < MAX_PUTS_PER_WRITER; i++)
            {
                final String key = prefix + i;
                attempted.add(key);
                try
                {
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(expected(key)));
                }
                catch (final RuntimeException e)
                {
                    if (!killing)
                    {
                        failedBeforeKill.compareAndSet(null, e);
                    }
                    return;
                }
                acked.add(key);
                firstAck.incrementAndGet();
            }
        }
    }
}
