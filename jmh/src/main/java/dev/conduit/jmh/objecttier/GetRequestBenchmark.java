package dev.conduit.jmh.objecttier;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.objecttier.S3Server;
import dev.conduit.objecttier.S3ServerOptions;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.objecttier.http.AccessLogWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Whole GET requests over loopback: a real {@link S3Server} (Netty event loop, HTTP decoding,
 * routing, the request's virtual thread, conditionals and headers, the data path, the access log)
 * and one keep-alive connection from a client that allocates nothing per request (the request's
 * bytes are built once; the response is counted in a reused direct buffer, checking the status
 * and the body length). The bucket is public-read, so the GET is anonymous: SigV4 verification is
 * not measured. The access log goes through the server's own {@link AccessLogWriter} (to a null
 * stream), as {@code conduit serve}'s does. {@code gc.alloc.rate.norm} under {@code -prof gc} is
 * bytes allocated per request by every thread of the process, the client's included.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar GetRequestBenchmark \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GetRequestBenchmark
{
    private static final int STATUS_OFFSET = "HTTP/1.1 ".length();
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    @Param({"4096", "1048576"})
    public int sizeBytes;

    private BenchBuckets fixture;
    private S3Server server;
    private AccessLogWriter accessLog;
    private SocketChannel socket;
    private ByteBuffer request;
    private final ByteBuffer response = ByteBuffer.allocateDirect(1 << 20);

    /**
     * Puts the object, starts the server and connects.
     *
     * @throws IOException when the connection fails.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        fixture = new BenchBuckets("get-request-" + sizeBytes, sizeBytes);
        accessLog = new AccessLogWriter(OutputStream.nullOutputStream(), AccessLogWriter.DEFAULT_CAPACITY);
        server = S3Server.start(S3ServerOptions.defaults(List.of(new Credentials("AKIACONDUITBENCH", "conduit-bench-secret")))
            .withPort(0).withReadBuffers(1 << 20, 16), fixture.buckets(), accessLog);
        socket = SocketChannel.open(server.address());
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        final byte[] head = ("GET /" + BenchBuckets.BUCKET + "/" + BenchBuckets.KEY + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + server.address().getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        request = ByteBuffer.allocateDirect(head.length).put(head).flip();
    }

    /**
     * Closes the connection, the server and the store.
     *
     * @throws IOException when closing fails.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        socket.close();
        server.close();
        accessLog.close();
        fixture.close();
    }

    /**
     * @return body bytes received.
     * @throws IOException when the connection fails or the answer is not a 200 with the object.
     */
    @Benchmark
    public long get() throws IOException
    {
        request.rewind();
        while (request.hasRemaining())
        {
            socket.write(request);
        }
        boolean inBody = false;
        long bodyLeft = sizeBytes;
        int headerBytes = 0;
        int matched = 0;
        while (!inBody || bodyLeft > 0)
        {
            response.clear();
            final int n = socket.read(response);
            if (n < 0)
            {
                throw new IOException("connection closed mid-response");
            }
            int i = 0;
            while (!inBody && i < n)
            {
                final byte b = response.get(i++);
                if (headerBytes >= STATUS_OFFSET && headerBytes < STATUS_OFFSET + 3 && b != "200".charAt(headerBytes - STATUS_OFFSET))
                {
                    throw new IOException("not a 200 response");
                }
                headerBytes++;
                matched = b == HEADER_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                inBody = matched == HEADER_END.length;
            }
            bodyLeft -= n - i;
        }
        if (bodyLeft != 0)
        {
            throw new IOException((-bodyLeft) + " bytes more than the object's");
        }
        return sizeBytes;
    }
}
