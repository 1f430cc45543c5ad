package dev.conduit.jmh.objecttier;

import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.objecttier.bucket.ReadSlot;
import dev.conduit.objecttier.http.AccessLog;
import dev.conduit.objecttier.http.GetDataPath;
import dev.conduit.objecttier.http.ReadBufferPool;
import dev.conduit.objecttier.http.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
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
 * The server's GET data path, without HTTP: {@code get} opens (pins) the object as a GET does (through
 * a {@link ReadSlot}, as each connection does, so the key bytes, handle and open object are reused) and
 * streams it through the server's own {@code ObjectStreamer} (scheduled, verified range reads into
 * the {@link ReadBufferPool}'s buffers, each written to the channel as the server's pooled ByteBuf);
 * {@code streamPinned} streams a version pinned once, to show the per-piece cost alone. The channel
 * is an {@link EmbeddedChannel} whose only handler counts and releases what it is written, so every
 * buffer goes back to the pool as on a socket whose writes complete at once. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per GET by every thread
 * (the benchmark thread as the request's thread, the scheduler's device threads).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar GetPathBenchmark \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GetPathBenchmark
{
    @Param({"4096", "1048576", "67108864"})
    public int sizeBytes;

    private BenchBuckets fixture;
    private ReadBufferPool pool;
    private EmbeddedChannel channel;
    private CountingSink sink;
    private GetDataPath path;
    private OpenObject pinned;
    private final ReadSlot slot = new ReadSlot();

    /** Puts the object and builds the data path over a channel that releases what it is written. */
    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = new BenchBuckets("get-path-" + sizeBytes, sizeBytes);
        pool = new ReadBufferPool(1 << 20, 8);
        sink = new CountingSink();
        channel = new EmbeddedChannel(sink);
        final ServerContext context = new ServerContext(fixture.buckets(), pool, new AccessLog(line -> { }), 1 << 20);
        path = new GetDataPath(context, channel);
        pinned = fixture.buckets().open(BenchBuckets.BUCKET, BenchBuckets.KEY);
    }

    /** Checks every byte arrived and every buffer came back, then frees everything. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        pinned.close();
        channel.finishAndReleaseAll();
        final boolean allBack = pool.freeCount() == pool.count();
        pool.close();
        fixture.close();
        if (!allBack || sink.bytes % sizeBytes != 0)
        {
            throw new IllegalStateException("buffers not returned or bytes lost: free " + pool.freeCount() + "/"
                + pool.count() + ", " + sink.bytes + " bytes written");
        }
    }

    /**
     * @return whether the whole object was written.
     * @throws InterruptedException never, in practice.
     */
    @Benchmark
    public boolean get() throws InterruptedException
    {
        try (OpenObject open = fixture.buckets().open(BenchBuckets.BUCKET, BenchBuckets.KEY, slot))
        {
            return path.stream(open.handle(), 0, sizeBytes);
        }
    }

    /**
     * @return whether the whole object was written.
     * @throws InterruptedException never, in practice.
     */
    @Benchmark
    public boolean streamPinned() throws InterruptedException
    {
        final ObjectReadHandle handle = pinned.handle();
        return path.stream(handle, 0, sizeBytes);
    }

    /** The socket stand-in: counts the body bytes and releases them, completing each write at once. */
    static final class CountingSink extends ChannelOutboundHandlerAdapter
    {
        private long bytes;

        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            if (msg instanceof ByteBufHolder holder)
            {
                bytes += holder.content().readableBytes();
            }
            else if (msg instanceof ByteBuf buf)
            {
                bytes += buf.readableBytes();
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }
}
