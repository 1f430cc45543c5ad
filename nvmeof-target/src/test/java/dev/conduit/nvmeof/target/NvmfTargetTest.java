package dev.conduit.nvmeof.target;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.initiator.HostController;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.Sqes;
import dev.conduit.nvmeof.pdu.CommonHeaderDescriptor;
import dev.conduit.nvmeof.pdu.DataPduDescriptor;
import dev.conduit.nvmeof.pdu.TermReqDescriptor;
import dev.conduit.nvmeof.pdu.TermStatus;
import dev.conduit.nvmeof.pdu.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The target end to end over real sockets on 127.0.0.1, driven by the package's own host queues.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NvmfTargetTest
{
    static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555";
    static final String OTHER_HOST = "nqn.2014-08.org.nvmexpress:uuid:99999999-2222-3333-4444-555555555555";
    static final String NQN = "nqn.2026-01.dev.conduit:test";
    static final String PRIVATE_NQN = "nqn.2026-01.dev.conduit:private";
    static final long CAPACITY_BYTES = 16L << 20;
    static final int BLOCK = 4096;

    private final Arena arena = Arena.ofShared();
    private MemoryNamespace ns1;
    private MemoryNamespace ns2;
    private MemoryNamespace hidden;
    private NvmfTarget target;

    @BeforeEach
    void start()
    {
        start(NvmfTargetConfig.defaults("127.0.0.1", 0));
    }

    private void start(final NvmfTargetConfig config)
    {
        start(config, false);
    }

    /** @param handOff whether NSID 1 hides that it is RAM, so its commands run on I/O threads, not inline. */
    private void start(final NvmfTargetConfig config, final boolean handOff)
    {
        ns1 = MemoryNamespace.allocate("ns1", CAPACITY_BYTES);
        ns2 = MemoryNamespace.allocate("ns2", CAPACITY_BYTES);
        hidden = MemoryNamespace.allocate("hidden", CAPACITY_BYTES);
        final Namespace first = handOff ? new ForwardingNamespace(ns1)
        {
        } : ns1;
        target = NvmfTarget.start(config, List.of(
            new Subsystem(NQN, List.of(first, ns2), Set.of(HOST), false, "CONDUIT-T1"),
            new Subsystem(PRIVATE_NQN, List.of(hidden), Set.of(OTHER_HOST), false, "CONDUIT-T2")));
    }

    private void restart(final NvmfTargetConfig config)
    {
        stop();
        start(config);
    }

    @AfterEach
    void stop()
    {
        target.close();
        ns1.close();
        ns2.close();
        hidden.close();
    }

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    private HostController connect(final HostQueue.Options options, final int ioQueues)
    {
        return HostController.connect(target.localAddress(), options, NQN, ioQueues);
    }

    private MemorySegment sqe()
    {
        return arena.allocate(64, 8);
    }

    private MemorySegment pattern(final int lengthBytes, final int seed)
    {
        final MemorySegment data = arena.allocate(lengthBytes, 4096);
        for (int i = 0; i < lengthBytes; i += 8)
        {
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, i, seed * 0x9E3779B97F4A7C15L + i);
        }
        return data;
    }

    private static HostQueue.Completion run(final HostQueue queue, final MemorySegment sqe, final MemorySegment data, final boolean toController)
    {
        return HostQueue.await(queue.submit(sqe, data, toController), "command");
    }

    private static void assertSameBytes(final MemorySegment expected, final MemorySegment actual)
    {
        assertEquals(-1, expected.mismatch(actual), "data differs");
    }

    @Test
    void shouldListSubsystemsTheHostMaySeeInTheDiscoveryLog()
    {
        try (HostController discovery = HostController.connect(target.localAddress(), HostQueue.Options.of(HOST), Subsystem.DISCOVERY_NQN, 0))
        {
            final MemorySegment id = discovery.identify(arena, 1, 0);
            assertEquals(2, Wire.u8(id, 111), "CNTRLTYPE discovery");
            assertEquals(Subsystem.DISCOVERY_NQN, Wire.ascii(id, 768, 256));

            final MemorySegment header = arena.allocate(1024, 8);
            discovery.adminCommand(Sqes.getLogPage(sqe(), 0x70, 0, 0, 1024), header, "discovery header");
            assertEquals(1, Wire.u64(header, 8), "NUMREC: only the subsystem this host is allowed into");
            final MemorySegment log = arena.allocate(2048, 8);
            discovery.adminCommand(Sqes.getLogPage(sqe(), 0x70, 0, 0, 2048), log, "discovery log");
            final long entry = 1024;
            assertEquals(3, Wire.u8(log, entry), "TRTYPE tcp");
            assertEquals(1, Wire.u8(log, entry + 1), "ADRFAM ipv4");
            assertEquals(2, Wire.u8(log, entry + 2), "SUBTYPE nvm");
            assertEquals(0xFFFF, Wire.u16(log, entry + 6), "dynamic controller");
            assertEquals(Integer.toString(target.localAddress().getPort()), Wire.ascii(log, entry + 32, 32));
            assertEquals(NQN, Wire.ascii(log, entry + 256, 256));
            assertEquals("127.0.0.1", Wire.ascii(log, entry + 512, 256));

            final MemorySegment tail = arena.allocate(1024, 8);
            discovery.adminCommand(Sqes.getLogPage(sqe(), 0x70, 0, 1024, 1024), tail, "discovery entry at LPO 1024");
            assertSameBytes(log.asSlice(1024, 1024), tail);
        }
    }

    @Test
    void shouldIdentifyControllerAndNamespaces()
    {
        try (HostController controller = connect(HostQueue.Options.of(HOST), 0))
        {
            final MemorySegment id = controller.identify(arena, 1, 0);
            assertEquals("CONDUIT-T1", Wire.ascii(id, 4, 20));
            assertEquals(controller.cntlid(), Wire.u16(id, 78));
            assertEquals(1, Wire.u8(id, 111), "CNTRLTYPE I/O");
            assertEquals(2, Wire.u32(id, 516), "NN");
            assertEquals(5, Wire.u8(id, 77), "MDTS 128 KiB");
            assertEquals(0x66, Wire.u8(id, 512));
            assertEquals(NQN, Wire.ascii(id, 768, 256));
            assertEquals((64 + 8192) / 16, Wire.u32(id, 1792), "IOCCSZ");

            final MemorySegment ns = controller.identify(arena, 0, 2);
            assertEquals(CAPACITY_BYTES / BLOCK, Wire.u64(ns, 0), "NSZE");
            assertEquals(12, Wire.u8(ns, 130), "LBADS");

            final MemorySegment list = controller.identify(arena, 2, 0);
            assertEquals(1, Wire.u32(list, 0));
            assertEquals(2, Wire.u32(list, 4));
            assertEquals(0, Wire.u32(list, 8));

            final MemorySegment descriptors = controller.identify(arena, 3, 1);
            assertEquals(2, Wire.u8(descriptors, 0), "NGUID first");
            assertEquals(16, Wire.u8(descriptors, 1));
            assertEquals(-1, descriptors.asSlice(4, 16).mismatch(controller.identify(arena, 0, 1).asSlice(104, 16)),
                "the NGUID of the descriptor and of Identify Namespace agree");

            final long cap = controller.adminCommand(Sqes.propertyGet(sqe(), Opcodes.PROP_CAP, true), null, "CAP").result();
            assertEquals(127, cap & 0xFFFF, "MQES");
            assertEquals(FabricsHandler.VERSION, controller.adminCommand(Sqes.propertyGet(sqe(), Opcodes.PROP_VS, false), null, "VS").result());
            final long kato = controller.adminCommand(Sqes.getFeatures(sqe(), Opcodes.FEATURE_KEEP_ALIVE_TIMER), null, "KATO").result();
            assertEquals(0, kato);
            controller.adminCommand(Sqes.plain(sqe(), Opcodes.ADMIN_KEEP_ALIVE, 0), null, "Keep Alive");
            final MemorySegment smart = arena.allocate(512, 8);
            controller.adminCommand(Sqes.getLogPage(sqe(), 0x02, 0xFFFFFFFFL, 0, 512), smart, "SMART");
            assertEquals(100, Wire.u8(smart, 3));
        }
    }

    @ParameterizedTest(name = "digests={0} inCapsule={1}")
    @CsvSource({"false,true", "false,false", "true,true", "true,false"})
    void shouldWriteAndReadBack(final boolean digests, final boolean inCapsule)
    {
        final HostQueue.Options options = HostQueue.Options.of(HOST).withDigests(digests, digests)
            .withInCapsuleDataBytes(inCapsule ? 8192 : 0);
        try (HostController controller = connect(options, 1))
        {
            final HostQueue io = controller.io(0);
            final int lengthBytes = inCapsule ? 8192 : 128 * 1024;
            final MemorySegment data = pattern(lengthBytes, 7);
            assertTrue(run(io, Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 2, 100, lengthBytes / BLOCK), data, true).ok());
            assertSameBytes(data, ns2.contents().asSlice(100L * BLOCK, lengthBytes));
            final MemorySegment back = arena.allocate(lengthBytes, 4096);
            assertTrue(run(io, Sqes.readWrite(sqe(), Opcodes.IO_READ, 2, 100, lengthBytes / BLOCK), back, false).ok());
            assertSameBytes(data, back);
            assertTrue(run(io, Sqes.plain(sqe(), Opcodes.IO_FLUSH, 2), null, false).ok());
        }
    }

    @Test
    void shouldSplitALargeWriteIntoR2tsOfMaxH2cData()
    {
        restart(NvmfTargetConfig.defaults("127.0.0.1", 0).withMaxH2cDataBytes(8192));
        try (HostController controller = connect(HostQueue.Options.of(HOST).withInCapsuleDataBytes(0).withDigests(true, true), 1))
        {
            final MemorySegment data = pattern(96 * 1024, 3);
            assertTrue(run(controller.io(0), Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 1, 7, 24), data, true).ok());
            assertSameBytes(data, ns1.contents().asSlice(7L * BLOCK, data.byteSize()));
        }
    }

    /** RAM commands inline and ones handed to I/O threads; reading threads that block at once or poll first. */
    @ParameterizedTest(name = "handOff={0} pollSpinNs={1}")
    @CsvSource({"false, 0", "true, 0", "false, 50000"})
    void shouldServeTwoIoQueuesAtQueueDepth128(final boolean handOff, final long pollSpinNs) throws Exception
    {
        if (handOff || pollSpinNs > 0)
        {
            stop();
            start(NvmfTargetConfig.defaults("127.0.0.1", 0).withPollSpinNs(pollSpinNs), handOff);
        }
        final int depth = 128;
        try (HostController controller = connect(HostQueue.Options.of(HOST).withQueueEntries(depth), 2))
        {
            final List<CompletableFuture<HostQueue.Completion>> writes = new ArrayList<>();
            final List<MemorySegment> expected = new ArrayList<>();
            for (int q = 0; q < 2; q++)
            {
                for (int i = 0; i < depth; i++)
                {
                    final int slot = q * depth + i;
                    final MemorySegment data = pattern(2 * BLOCK, slot);
                    expected.add(data);
                    // i % 3 == 0: in the capsule; else by R2T.
                    final MemorySegment payload = i % 3 == 0 ? data.asSlice(0, BLOCK) : data;
                    writes.add(controller.io(q).submit(Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 1, 2L * slot,
                        (int)(payload.byteSize() / BLOCK)), payload, true));
                }
            }
            for (final CompletableFuture<HostQueue.Completion> write : writes)
            {
                assertTrue(write.get(30, TimeUnit.SECONDS).ok());
            }
            final List<CompletableFuture<HostQueue.Completion>> reads = new ArrayList<>();
            final List<MemorySegment> actual = new ArrayList<>();
            for (int slot = 0; slot < 2 * depth; slot++)
            {
                final MemorySegment back = arena.allocate(2 * BLOCK, 4096);
                actual.add(back);
                reads.add(controller.io(slot / depth).submit(Sqes.readWrite(sqe(), Opcodes.IO_READ, 1, 2L * slot, 2), back, false));
            }
            for (int slot = 0; slot < 2 * depth; slot++)
            {
                assertTrue(reads.get(slot).get(30, TimeUnit.SECONDS).ok());
                final long compared = slot % depth % 3 == 0 ? BLOCK : 2 * BLOCK;
                assertSameBytes(expected.get(slot).asSlice(0, compared), actual.get(slot).asSlice(0, compared));
            }
        }
    }

    @Test
    void shouldAnswerBadCommandsWithNvmeStatusCodes()
    {
        try (HostController controller = connect(HostQueue.Options.of(HOST), 1))
        {
            final HostQueue io = controller.io(0);
            final MemorySegment block = arena.allocate(BLOCK, 4096);
            final long lastLba = CAPACITY_BYTES / BLOCK - 1;
            assertEquals(NvmeStatus.INVALID_NAMESPACE | NvmeStatus.DNR,
                run(io, Sqes.readWrite(sqe(), Opcodes.IO_READ, 3, 0, 1), block, false).status());
            assertEquals(NvmeStatus.INVALID_NAMESPACE | NvmeStatus.DNR,
                run(io, Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 0, 0, 1), block, true).status());
            assertEquals(NvmeStatus.LBA_OUT_OF_RANGE | NvmeStatus.DNR,
                run(io, Sqes.readWrite(sqe(), Opcodes.IO_READ, 1, lastLba + 1, 1), block, false).status());
            assertEquals(NvmeStatus.LBA_OUT_OF_RANGE | NvmeStatus.DNR,
                run(io, Sqes.readWrite(sqe(), Opcodes.IO_WRITE_ZEROES, 1, lastLba, 2), null, false).status());
            assertEquals(NvmeStatus.INVALID_OPCODE | NvmeStatus.DNR, run(io, Sqes.plain(sqe(), 0x85, 1), null, false).status());
            assertEquals(NvmeStatus.SGL_LENGTH_INVALID | NvmeStatus.DNR,
                run(io, Sqes.readWrite(sqe(), Opcodes.IO_READ, 1, 0, 2), block, false).status(), "2 blocks into a 1-block buffer");

            final HostQueue admin = controller.admin();
            assertEquals(NvmeStatus.INVALID_OPCODE | NvmeStatus.DNR, run(admin, Sqes.plain(sqe(), 0x7C, 0), null, false).status());
            final MemorySegment page = arena.allocate(4096, 4096);
            assertEquals(NvmeStatus.INVALID_FIELD | NvmeStatus.DNR, run(admin, Sqes.identify(sqe(), 0x1F, 0, 0), page, false).status());
            assertEquals(NvmeStatus.INVALID_NAMESPACE | NvmeStatus.DNR, run(admin, Sqes.identify(sqe(), 0, 9, 0), page, false).status());
            assertEquals(NvmeStatus.INVALID_LOG_PAGE | NvmeStatus.DNR,
                run(admin, Sqes.getLogPage(sqe(), 0x70, 0, 0, 1024), page.asSlice(0, 1024), false).status(),
                "an NVM controller has no discovery log");
            assertEquals(NvmeStatus.INVALID_FIELD | NvmeStatus.DNR,
                run(admin, Sqes.setFeatures(sqe(), 0x7D, 0), null, false).status());
        }
    }

    @Test
    void shouldZeroBlocksOnWriteZeroesAndDeallocate()
    {
        try (HostController controller = connect(HostQueue.Options.of(HOST), 1))
        {
            final HostQueue io = controller.io(0);
            final MemorySegment data = pattern(8 * BLOCK, 5);
            assertTrue(run(io, Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 1, 0, 8), data, true).ok());
            assertTrue(run(io, Sqes.readWrite(sqe(), Opcodes.IO_WRITE_ZEROES, 1, 1, 2), null, false).ok());
            final MemorySegment ranges = arena.allocate(32, 8);
            Wire.put32(ranges, 4, 1);       // 1 block at LBA 5
            Wire.put64(ranges, 8, 5);
            Wire.put32(ranges, 16 + 4, 1);  // 1 block at LBA 7
            Wire.put64(ranges, 16 + 8, 7);
            assertTrue(run(io, Sqes.deallocate(sqe(), 1, 2), ranges, true).ok());
            final MemorySegment contents = ns1.contents();
            for (int lba = 0; lba < 8; lba++)
            {
                final boolean zeroed = lba == 1 || lba == 2 || lba == 5 || lba == 7;
                final MemorySegment expected = zeroed ? arena.allocate(BLOCK) : data.asSlice((long)lba * BLOCK, BLOCK);
                assertSameBytes(expected, contents.asSlice((long)lba * BLOCK, BLOCK));
            }
        }
    }

    @Test
    void shouldRefuseHostsNotOnTheAllowList()
    {
        final ConduitException refused = assertThrows(ConduitException.class,
            () -> HostQueue.connect(target.localAddress(), HostQueue.Options.of(OTHER_HOST), NQN, 0, 0xFFFF));
        assertEquals(ErrorCode.NVME_COMMAND_FAILED, refused.code());
        assertEquals(ErrorDomain.NVME, refused.domain());
        assertEquals(NvmeStatus.CONNECT_INVALID_HOST, refused.nativeCode());

        final ConduitException unknown = assertThrows(ConduitException.class,
            () -> HostQueue.connect(target.localAddress(), HostQueue.Options.of(HOST), "nqn.2026-01.dev.conduit:nope", 0, 0xFFFF));
        assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS, unknown.nativeCode());

        final ConduitException badController = assertThrows(ConduitException.class,
            () -> HostQueue.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 1, 0x1234));
        assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS, badController.nativeCode());
        assertEquals(0, target.controllerCount());
    }

    @Test
    void shouldTearDownTheControllerWhenKeepAliveExpires() throws Exception
    {
        final HostQueue.Options options = HostQueue.Options.of(HOST).withKeepAliveTimeoutMs(1000);
        try (HostController alive = connect(options, 1); HostController silent = connect(options, 1))
        {
            final CompletableFuture<HostQueue.Completion> silentEvent = silent.admin().submit(Sqes.plain(sqe(), Opcodes.ADMIN_ASYNC_EVENT, 0), null, false);
            final long startNs = System.nanoTime();
            // The live host keeps its controller with Keep Alive well inside KATO while the silent one expires.
            while (!silentEvent.isDone() && System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10))
            {
                assertTrue(run(alive.admin(), Sqes.plain(sqe(), Opcodes.ADMIN_KEEP_ALIVE, 0), null, false).ok());
                TimeUnit.MILLISECONDS.sleep(100);
            }
            final ExecutionException expired = assertThrows(ExecutionException.class, () -> silentEvent.get(5, TimeUnit.SECONDS));
            assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, ((ConduitException)expired.getCause()).code());
            silent.io(0).closedFuture().get(5, TimeUnit.SECONDS);   // its I/O queue went with it
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(900), "not before KATO");
            assertEquals(1, target.keepAliveExpiries());
            assertFalse(alive.admin().isClosed());
            final MemorySegment block = pattern(BLOCK, 1);
            assertTrue(run(alive.io(0), Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 1, 0, 1), block, true).ok());
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentAMalformedPdu() throws Exception
    {
        try (HostController good = connect(HostQueue.Options.of(HOST), 1); HostController bad = connect(HostQueue.Options.of(HOST), 1))
        {
            final CompletableFuture<HostQueue.Completion> held = bad.io(0).submit(Sqes.plain(sqe(), Opcodes.IO_FLUSH, 1), null, false);
            held.get(5, TimeUnit.SECONDS);
            final CompletableFuture<HostQueue.Completion> event = bad.admin().submit(Sqes.plain(sqe(), Opcodes.ADMIN_ASYNC_EVENT, 0), null, false);
            // A CapsuleCmd header announcing 1 GiB of in-capsule data: the target must refuse it from the header alone.
            final ByteBuffer forged = ByteBuffer.allocate(CommonHeaderDescriptor.LENGTH);
            forged.put((byte)CommonHeaderDescriptor.TYPE_CAPSULE_CMD).put((byte)0).put((byte)72).put((byte)72)
                .putInt(Integer.reverseBytes(1 << 30)).flip();
            bad.io(0).sendRaw(forged);
            final ExecutionException closed = assertThrows(ExecutionException.class,
                () -> bad.io(0).submit(Sqes.plain(sqe(), Opcodes.IO_FLUSH, 1), null, false).get(5, TimeUnit.SECONDS));
            assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, ((ConduitException)closed.getCause()).code());
            assertTrue(bad.io(0).closeReason().contains("DATA_TRANSFER_LIMIT_EXCEEDED"), bad.io(0).closeReason());
            assertEquals(1, target.terminations());
            assertFalse(event.isDone(), "the same controller's admin queue still holds its event request");

            final MemorySegment data = pattern(BLOCK, 9);
            assertTrue(run(good.io(0), Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 1, 3, 1), data, true).ok());
            final MemorySegment back = arena.allocate(BLOCK, 4096);
            assertTrue(run(good.io(0), Sqes.readWrite(sqe(), Opcodes.IO_READ, 1, 3, 1), back, false).ok());
            assertSameBytes(data, back);
        }
    }

    @Test
    void shouldTerminateWhenH2cDataLeavesTheR2tWindowOrNamesNoTransfer() throws Exception
    {
        try (HostController controller = connect(HostQueue.Options.of(HOST), 1))
        {
            controller.adminCommand(Sqes.setFeatures(sqe(), Opcodes.FEATURE_NUMBER_OF_QUEUES, 3 | 3 << 16), null, "4 queues");
            try (RawQueue raw = new RawQueue(target.localAddress(), arena))
            {
                raw.connectIo(NQN, HOST, 2, controller.cntlid());
                assertEquals(CommonHeaderDescriptor.TYPE_CAPSULE_RESP, raw.reader.type());
                assertEquals(0, Wire.u16(raw.reader.buffer(), 8 + 14), "Connect succeeded");
                raw.writeByR2t(5, 1, 0, 4, BLOCK);
                assertEquals(CommonHeaderDescriptor.TYPE_R2T, raw.next());
                final int ttag = Wire.u16(raw.reader.buffer(), DataPduDescriptor.TTAG_OFFSET);
                assertEquals(4 * BLOCK, Wire.u32(raw.reader.buffer(), DataPduDescriptor.LENGTH_OFFSET));
                raw.h2cData(5, ttag, 8192, 12288);   // [8 KiB, 20 KiB) is not inside [0, 16 KiB)
                assertEquals(CommonHeaderDescriptor.TYPE_C2H_TERM_REQ, raw.next());
                assertEquals(TermStatus.DATA_TRANSFER_OUT_OF_RANGE.value(), Wire.u16(raw.reader.buffer(), TermReqDescriptor.FES_OFFSET));
                assertEquals(DataPduDescriptor.OFFSET_OFFSET, Wire.u32(raw.reader.buffer(), TermReqDescriptor.FEI_OFFSET));
                assertEquals(-1, raw.next(), "the target closed the connection");
            }
            try (RawQueue raw = new RawQueue(target.localAddress(), arena))
            {
                raw.connectIo(NQN, HOST, 3, controller.cntlid());
                assertEquals(0, Wire.u16(raw.reader.buffer(), 8 + 14), "Connect succeeded");
                raw.h2cData(9, 9, 0, 4096);
                assertEquals(CommonHeaderDescriptor.TYPE_C2H_TERM_REQ, raw.next());
                assertEquals(TermStatus.INVALID_HEADER_FIELD.value(), Wire.u16(raw.reader.buffer(), TermReqDescriptor.FES_OFFSET));
                assertEquals(DataPduDescriptor.TTAG_OFFSET, Wire.u32(raw.reader.buffer(), TermReqDescriptor.FEI_OFFSET));
            }
            assertEquals(2, target.terminations());
            final MemorySegment data = pattern(BLOCK, 4);
            assertTrue(run(controller.io(0), Sqes.readWrite(sqe(), Opcodes.IO_WRITE, 1, 0, 1), data, true).ok());
        }
    }

    @Test
    void shouldTerminateOnHeaderDigestError() throws Exception
    {
        try (HostController controller = connect(HostQueue.Options.of(HOST).withDigests(true, false), 1))
        {
            final ByteBuffer capsule = ByteBuffer.allocate(72 + 4);
            capsule.put((byte)CommonHeaderDescriptor.TYPE_CAPSULE_CMD).put((byte)CommonHeaderDescriptor.FLAG_HDGSTF).put((byte)72).put((byte)0)
                .putInt(Integer.reverseBytes(76));
            capsule.position(76).flip();   // zero SQE, zero digest: wrong
            controller.io(0).sendRaw(capsule);
            final ExecutionException closed = assertThrows(ExecutionException.class,
                () -> controller.io(0).submit(Sqes.plain(sqe(), Opcodes.IO_FLUSH, 1), null, false).get(5, TimeUnit.SECONDS));
            assertTrue(controller.io(0).closeReason().contains("HEADER_DIGEST_ERROR"), controller.io(0).closeReason());
            assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, ((ConduitException)closed.getCause()).code());
        }
    }
}
