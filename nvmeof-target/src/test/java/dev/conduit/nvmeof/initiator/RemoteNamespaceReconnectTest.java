package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RemoteNamespace against a target that is restarted under load, and against one that stops answering. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RemoteNamespaceReconnectTest
{
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:abcdabcd-0000-1111-2222-444444444444";
    private static final String NQN = "nqn.2026-01.dev.conduit:reconnect";
    private static final int SLOT_BYTES = 256 * 1024;   // two MDTS pieces per write
    private static final int SLOTS_PER_WRITER = 16;

    private MemoryNamespace backing;
    private Subsystem subsystem;
    private NvmfTarget target;

    @BeforeEach
    void start()
    {
        backing = MemoryNamespace.allocate("backing", 16L << 20);
        subsystem = new Subsystem(NQN, List.of(backing), Set.of(HOST), false, "CONDUIT-RC");
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(subsystem));
    }

    @AfterEach
    void stop()
    {
        target.close();
        backing.close();
    }

    private static void fill(final MemorySegment data, final long seed)
    {
        for (long i = 0; i < data.byteSize(); i += 8)
        {
            data.set(ValueLayout.JAVA_LONG, i, seed ^ (i * 0x9E3779B97F4A7C15L));
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteAcrossATargetRestart() throws Exception
    {
        final InetSocketAddress address = target.localAddress();
        final HostQueue.Options options = HostQueue.Options.of(HOST).withCommandTimeoutMs(5000);
        final int writers = 2;
        // the last acknowledged sequence number of each slot; a slot whose write failed would be unknown
        final ConcurrentHashMap<Integer, Long> acked = new ConcurrentHashMap<>();
        final AtomicLong ackCount = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch warmedUp = new CountDownLatch(40);
        final AtomicReference<CountDownLatch> afterRestart = new AtomicReference<>(new CountDownLatch(0));
        final CountDownLatch[] stop = {new CountDownLatch(1)};
        try (RemoteNamespace ns = RemoteNamespace.connect(address, options, NQN, 1, 2, new ReconnectPolicy(50, 20, 200)))
        {
            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++)
            {
                final int writer = w;
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() ->
                {
                    try (Arena arena = Arena.ofShared())
                    {
                        final MemorySegment data = arena.allocate(SLOT_BYTES, 4096);
                        for (long seq = 1; seq < 1_000_000 && stop[0].getCount() > 0; seq++)
                        {
                            final int slot = writer * SLOTS_PER_WRITER + (int)(seq % SLOTS_PER_WRITER);
                            final long seed = (long)slot << 40 | seq;
                            fill(data, seed);
                            ns.write(data, (long)slot * SLOT_BYTES);
                            acked.put(slot, seed);
                            ackCount.incrementAndGet();
                            warmedUp.countDown();
                            afterRestart.get().countDown();
                        }
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            assertTrue(warmedUp.await(30, TimeUnit.SECONDS), () -> "writers started: " + failure.get());
            target.close();
            // a real outage: connects are refused for a while before the target comes back on the same port
            TimeUnit.MILLISECONDS.sleep(300);
            final CountDownLatch progress = new CountDownLatch(100);
            afterRestart.set(progress);
            target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", address.getPort()), List.of(subsystem));
            assertTrue(progress.await(30, TimeUnit.SECONDS), "writes continue after the restart");
            stop[0].countDown();
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertNull(failure.get(), () -> "a writer failed: " + failure.get());
            assertTrue(ns.reconnects() >= 1, "reconnected");
            try (Arena arena = Arena.ofShared())
            {
                final MemorySegment expected = arena.allocate(SLOT_BYTES, 4096);
                final MemorySegment back = arena.allocate(SLOT_BYTES, 4096);
                for (final var entry : acked.entrySet())
                {
                    fill(expected, entry.getValue());
                    ns.read(back, (long)entry.getKey() * SLOT_BYTES);
                    assertEquals(-1L, expected.mismatch(back), "slot " + entry.getKey() + " holds its last acknowledged write");
                }
            }
            assertEquals(writers * SLOTS_PER_WRITER, acked.size());
        }
    }

    @Test
    void shouldFailBoundedWhenTheTargetStopsAnswering() throws Exception
    {
        try (StallingProxy proxy = new StallingProxy(target.localAddress());
             Arena arena = Arena.ofShared())
        {
            final HostQueue.Options options = HostQueue.Options.of(HOST).withCommandTimeoutMs(1000);
            try (RemoteNamespace ns = RemoteNamespace.connect(proxy.address(), options, NQN, 1, 1, new ReconnectPolicy(2, 50, 100)))
            {
                final MemorySegment data = arena.allocate(8192, 4096);
                fill(data, 7);
                ns.write(data, 0);
                proxy.stall();
                final long startNs = System.nanoTime();
                final ConduitException e = assertThrows(ConduitException.class, () -> ns.write(data, 8192));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                assertEquals(ErrorCode.NVMF_RECONNECT_FAILED, e.code(), e::getMessage);
                assertTrue(e.getMessage().contains("2 reconnect attempts"), e::getMessage);
                // 1 s command timeout, then 2 connects of at most 1 s each after 50 + 100 ms of back-off
                assertTrue(tookMs < 10_000, "failed after " + tookMs + " ms");
            }
        }
    }

    @Test
    void shouldDropTheControllerWhenKeepAliveGetsNoAnswer() throws Exception
    {
        try (StallingProxy proxy = new StallingProxy(target.localAddress());
             Arena arena = Arena.ofShared())
        {
            final HostQueue.Options options = HostQueue.Options.of(HOST).withKeepAliveTimeoutMs(1000).withCommandTimeoutMs(1000);
            try (RemoteNamespace ns = RemoteNamespace.connect(proxy.address(), options, NQN, 1, 1, new ReconnectPolicy(1, 10, 10)))
            {
                assertFalse(ns.connectionLost().isDone());
                proxy.stall();
                // Keep Alive every 500 ms, each bounded by the 1 s command timeout: dropped within a few seconds, idle.
                ns.connectionLost().get(20, TimeUnit.SECONDS);
                final ConduitException e = assertThrows(ConduitException.class, () -> ns.write(arena.allocate(4096, 4096), 0));
                assertEquals(ErrorCode.NVMF_RECONNECT_FAILED, e.code(), e::getMessage);
            }
        }
    }

    @Test
    void shouldTimeOutConnectingToAPeerThatNeverAnswers() throws Exception
    {
        try (StallingProxy proxy = new StallingProxy(target.localAddress()))
        {
            proxy.stall();
            final HostQueue.Options options = HostQueue.Options.of(HOST).withCommandTimeoutMs(500);
            final ConduitException e = assertThrows(ConduitException.class,
                () -> HostQueue.connect(proxy.address(), options, NQN, 0, 0xFFFF));
            assertEquals(ErrorCode.TIMED_OUT, e.code(), e::getMessage);
        }
    }

    @Test
    void shouldFailClearlyWithReconnectOff() throws Exception
    {
        try (RemoteNamespace ns = RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 1, 1, ReconnectPolicy.never());
             Arena arena = Arena.ofShared())
        {
            final MemorySegment data = arena.allocate(4096, 4096);
            target.close();
            final ConduitException e = assertThrows(ConduitException.class, () -> ns.write(data, 0));
            assertEquals(ErrorCode.NVMF_RECONNECT_FAILED, e.code(), e::getMessage);
        }
    }
}
