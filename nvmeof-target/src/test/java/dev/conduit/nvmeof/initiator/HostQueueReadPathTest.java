package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host queue's receive path against a real target on 127.0.0.1: C2HData read straight into the
 * caller's memory (native buffers reused across commands, heap memory, several PDUs per command),
 * completions through a {@link HostQueue.CompletionHandler}, with and without digests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostQueueReadPathTest
{
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:abcdabcd-0000-1111-2222-444444444444";
    private static final String NQN = "nqn.2026-01.dev.conduit:readpath";
    private static final int BLOCK = 4096;

    private final Arena arena = Arena.ofShared();
    private MemoryNamespace backing;
    private NvmfTarget target;

    /** One command's outcome as its handler saw it. */
    private static final class Outcome implements HostQueue.CompletionHandler
    {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<ConduitException> failure = new AtomicReference<>();
        volatile int status = -1;

        @Override
        public void completed(final int completedStatus, final long result, final ConduitException completedFailure)
        {
            status = completedStatus;
            failure.set(completedFailure);
            calls.incrementAndGet();
            done.countDown();
        }

        Outcome await() throws InterruptedException
        {
            assertTrue(done.await(20, TimeUnit.SECONDS), "no completion");
            return this;
        }
    }

    @BeforeEach
    void start()
    {
        backing = MemoryNamespace.allocate("backing", 8L << 20);
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0),
            List.of(new Subsystem(NQN, List.of(backing), Set.of(HOST), false, "CONDUIT-RP")));
    }

    @AfterEach
    void stop()
    {
        target.close();
        backing.close();
        arena.close();
    }

    private void fill(final long offsetBytes, final int lengthBytes, final long seed)
    {
        final MemorySegment contents = backing.contents();
        for (int i = 0; i < lengthBytes; i += 8)
        {
            contents.set(ValueLayout.JAVA_LONG, offsetBytes + i, seed ^ (i * 0x9E3779B97F4A7C15L));
        }
    }

    private Outcome read(final HostQueue queue, final MemorySegment into, final long lba) throws InterruptedException
    {
        final Outcome outcome = new Outcome();
        queue.submit(Sqes.readWrite(arena.allocate(64, 8), Opcodes.IO_READ, 1, lba, (int)(into.byteSize() / BLOCK)), into, false, outcome);
        return outcome.await();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReadIntoTheSameNativeBufferAgainAndIntoHeapMemory(final boolean digests) throws Exception
    {
        fill(0, 256 * 1024, 7);
        try (HostController host = HostController.connect(target.localAddress(), HostQueue.Options.of(HOST).withDigests(digests, digests), NQN, 1))
        {
            final MemorySegment buffer = arena.allocate(128 * 1024, 4096);
            for (int round = 0; round < 2; round++)
            {
                final long lba = round * 32L;
                final Outcome outcome = read(host.io(0), buffer, lba);
                assertNull(outcome.failure.get());
                assertEquals(NvmeStatus.SUCCESS, outcome.status);
                assertEquals(-1, buffer.mismatch(backing.contents().asSlice(lba * BLOCK, buffer.byteSize())), "round " + round);
            }
            final Outcome slice = read(host.io(0), buffer.asSlice(8192, 8192), 3);
            assertEquals(NvmeStatus.SUCCESS, slice.status);
            assertEquals(-1, buffer.asSlice(8192, 8192).mismatch(backing.contents().asSlice(3L * BLOCK, 8192)));

            final MemorySegment heap = MemorySegment.ofArray(new byte[16 * 1024]);
            final Outcome onHeap = read(host.io(0), heap, 5);
            assertEquals(NvmeStatus.SUCCESS, onHeap.status);
            assertEquals(-1, heap.mismatch(backing.contents().asSlice(5L * BLOCK, heap.byteSize())));
            assertEquals(1, onHeap.calls.get(), "a handler runs once");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldCompleteManyConcurrentReadsEachWithItsOwnData(final boolean digests) throws Exception
    {
        final int reads = 64;
        final int readBytes = 16 * 1024;
        fill(0, reads * readBytes, 11);
        final HostQueue.Options options = HostQueue.Options.of(HOST).withDigests(digests, digests).withQueueEntries(reads);
        try (HostController host = HostController.connect(target.localAddress(), options, NQN, 1))
        {
            for (int round = 0; round < 3; round++)
            {
                final Outcome[] outcomes = new Outcome[reads];
                final MemorySegment[] buffers = new MemorySegment[reads];
                for (int i = 0; i < reads; i++)
                {
                    // Reversed order each other round, so completions meet sends in progress in other orders.
                    final int index = round % 2 == 0 ? i : reads - 1 - i;
                    buffers[index] = arena.allocate(readBytes, 4096);
                    outcomes[index] = new Outcome();
                    host.io(0).submit(Sqes.readWrite(arena.allocate(64, 8), Opcodes.IO_READ, 1, (long)index * readBytes / BLOCK, readBytes / BLOCK),
                        buffers[index], false, outcomes[index]);
                }
                for (int i = 0; i < reads; i++)
                {
                    assertEquals(NvmeStatus.SUCCESS, outcomes[i].await().status, "read " + i);
                    assertEquals(-1, buffers[i].mismatch(backing.contents().asSlice((long)i * readBytes, readBytes)), "read " + i);
                }
            }
        }
    }

    @Test
    void shouldFailTheHandlerOfACommandSubmittedAfterClose() throws Exception
    {
        try (HostController host = HostController.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 1))
        {
            final HostQueue queue = host.io(0);
            queue.close();
            final Outcome outcome = read(queue, arena.allocate(BLOCK, 4096), 0);
            assertNotNull(outcome.failure.get());
            assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, outcome.failure.get().code());
            assertEquals(1, outcome.calls.get());
        }
    }
}
