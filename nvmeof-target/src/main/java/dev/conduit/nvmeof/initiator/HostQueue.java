package dev.conduit.nvmeof.initiator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.CqeDescriptor;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.pdu.CapsuleDescriptor;
import dev.conduit.nvmeof.pdu.CommonHeaderDescriptor;
import dev.conduit.nvmeof.pdu.DataPduDescriptor;
import dev.conduit.nvmeof.pdu.IcDescriptor;
import dev.conduit.nvmeof.pdu.PduException;
import dev.conduit.nvmeof.pdu.PduReader;
import dev.conduit.nvmeof.pdu.PduWriter;
import dev.conduit.nvmeof.pdu.TermReqDescriptor;
import dev.conduit.nvmeof.pdu.TermStatus;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * The host side of one NVMe/TCP queue: connects (ICReq/ICResp, then the fabrics Connect), submits
 * commands with their data in the capsule or on R2T (H2CData), receives C2HData into the caller's
 * memory and completes each command with its CQE. Digests as negotiated.
 *
 * <pre>{@code
 * try (HostQueue admin = HostQueue.connect(address, options, subsystemNqn, 0, 0xFFFF))
 * {
 *     final Completion c = admin.submit(Sqes.identify(sqe, 1, 0, 0), identifyPage, false).get(5, SECONDS);
 * }
 * }</pre>
 *
 * <p>Threading: {@link #submit} from any thread (bounded by the queue's entries: it waits for a free
 * slot); one platform thread reads responses and completes commands, also answering R2Ts. The caller
 * owns each command's data memory until its future completes (or its handler runs).
 *
 * <p>Receive path: a C2HData PDU's header is read and checked first, then its data is read from the
 * socket straight into the command's memory (no receive-buffer copy); with a
 * {@link CompletionHandler} and native data memory reused across commands nothing is allocated per
 * command.
 *
 * <p>Size: connect, submit and the receive loop share the per-command slot table and the send lock,
 * which is why they stay in one class; the PDU layouts and checks live in {@code pdu}.
 */
public final class HostQueue implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("conduit.nvmf");
    private static final long DEFAULT_TIMEOUT_MS = 30_000;
    private static final int CONNECT_CATTR_DISABLE_SQ_FLOW = 0x04;

    /** A completed command: its status ({@code (SCT << 8) | SC} with DNR) and result DW0/DW1. */
    public record Completion(int status, long result)
    {
        /** @return whether it succeeded. */
        public boolean ok()
        {
            return status == NvmeStatus.SUCCESS;
        }
    }

    /**
     * How a host connects.
     *
     * @param hostNqn             the host NQN sent in Connect.
     * @param headerDigest        ask for header digests.
     * @param dataDigest          ask for data digests.
     * @param queueEntries        entries of the queue (SQSIZE + 1): the most commands in flight.
     * @param keepAliveTimeoutMs  KATO for an admin queue's Connect (0: none).
     * @param inCapsuleDataBytes  host-to-controller data up to this size goes in the capsule.
     * @param maxDataBytes        the largest data transfer of one command.
     * @param commandTimeoutMs    how long a command, and each connection step (TCP, ICResp, Connect), may take.
     */
    public record Options(
        String hostNqn,
        boolean headerDigest,
        boolean dataDigest,
        int queueEntries,
        long keepAliveTimeoutMs,
        int inCapsuleDataBytes,
        int maxDataBytes,
        long commandTimeoutMs)
    {
        /** @return options for {@code hostNqn}: no digests, 32 entries, no KATO, 8 KiB in-capsule, 128 KiB transfers, 30 s timeout. */
        public static Options of(final String hostNqn)
        {
            return new Options(hostNqn, false, false, 32, 0, 8192, 128 * 1024, DEFAULT_TIMEOUT_MS);
        }

        /** @return a copy with digests on or off. */
        public Options withDigests(final boolean header, final boolean data)
        {
            return new Options(hostNqn, header, data, queueEntries, keepAliveTimeoutMs, inCapsuleDataBytes, maxDataBytes, commandTimeoutMs);
        }

        /** @return a copy with another number of entries. */
        public Options withQueueEntries(final int entries)
        {
            return new Options(hostNqn, headerDigest, dataDigest, entries, keepAliveTimeoutMs, inCapsuleDataBytes, maxDataBytes, commandTimeoutMs);
        }

        /** @return a copy with another KATO. */
        public Options withKeepAliveTimeoutMs(final long timeoutMs)
        {
            return new Options(hostNqn, headerDigest, dataDigest, queueEntries, timeoutMs, inCapsuleDataBytes, maxDataBytes, commandTimeoutMs);
        }

        /** @return a copy with another in-capsule data limit (0: always R2T). */
        public Options withInCapsuleDataBytes(final int bytes)
        {
            return new Options(hostNqn, headerDigest, dataDigest, queueEntries, keepAliveTimeoutMs, bytes, maxDataBytes, commandTimeoutMs);
        }

        /** @return a copy with another command and connection-step timeout. */
        public Options withCommandTimeoutMs(final long timeoutMs)
        {
            return new Options(hostNqn, headerDigest, dataDigest, queueEntries, keepAliveTimeoutMs, inCapsuleDataBytes, maxDataBytes, timeoutMs);
        }
    }

    /**
     * Receives one command's outcome, exactly once: on the queue's reading thread, or on the thread
     * that sees the connection end. It must not block (the next PDU waits for it); the command's data
     * memory is the caller's again when it runs.
     */
    @FunctionalInterface
    public interface CompletionHandler
    {
        /**
         * @param status  {@code (SCT << 8) | SC} with DNR; meaningless when {@code failure} is set.
         * @param result  DW0/DW1 of the CQE.
         * @param failure {@code NVMF_CONNECTION_CLOSED} when the connection ended before the
         *                completion, else {@code null}.
         */
        void completed(int status, long result, ConduitException failure);
    }

    /** The future {@link #submit(MemorySegment, MemorySegment, boolean)} returns: its own handler. */
    private static final class CompletionFuture extends CompletableFuture<Completion> implements CompletionHandler
    {
        @Override
        public void completed(final int status, final long result, final ConduitException failure)
        {
            if (failure != null)
            {
                completeExceptionally(failure);
            }
            else
            {
                complete(new Completion(status, result));
            }
        }
    }

    /** One command in flight. */
    private static final class Pending
    {
        MemorySegment data;
        long dataBytes;
        CompletionHandler handler;
    }

    private final SocketChannel channel;
    private final Options options;
    private final Arena arena = Arena.ofShared();
    private final PduReader reader;
    private final PduWriter writer;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final MemorySegment sendSqe;
    private final Pending[] pending;
    private final int[] freeCids;
    private int freeCidCount;
    private final ByteBufferViews views = new ByteBufferViews();
    private final Semaphore slots;
    private final int maxH2cDataBytes;
    private final Thread readerThread;
    private final CompletableFuture<String> closedFuture = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile String closeReason = "closed";
    private int qid;
    private int cntlid;

    private HostQueue(final SocketChannel channel, final Options options) throws IOException
    {
        this.channel = channel;
        this.options = options;
        this.reader = PduReader.forHost(arena, options.maxDataBytes());
        this.writer = new PduWriter(arena);
        this.sendSqe = arena.allocate(SqeDescriptor.LENGTH, 8);
        this.pending = new Pending[options.queueEntries()];
        this.freeCids = new int[pending.length];
        for (int cid = 0; cid < pending.length; cid++)
        {
            pending[cid] = new Pending();
            freeCids[freeCidCount++] = pending.length - 1 - cid;
        }
        this.slots = new Semaphore(options.queueEntries());
        writer.send(channel, writer.icReq(0, options.headerDigest(), options.dataDigest(), 0), null);
        if (!reader.read(channel) || reader.type() != CommonHeaderDescriptor.TYPE_IC_RESP)
        {
            throw new ConduitException(ErrorCode.NVMF_PROTOCOL_ERROR, "no ICResp from the controller (got "
                + CommonHeaderDescriptor.name(reader.type()) + ")");
        }
        final int dgst = Wire.u8(reader.buffer(), IcDescriptor.DGST_OFFSET);
        final boolean headerDigest = (dgst & IcDescriptor.DGST_HEADER) != 0;
        final boolean dataDigest = (dgst & IcDescriptor.DGST_DATA) != 0;
        if (headerDigest != options.headerDigest() || dataDigest != options.dataDigest())
        {
            throw new ConduitException(ErrorCode.NVMF_PROTOCOL_ERROR, "the controller answered digests 0x"
                + Integer.toHexString(dgst) + " to a request for header " + options.headerDigest() + ", data " + options.dataDigest());
        }
        final int cpda = Wire.u8(reader.buffer(), IcDescriptor.PDA_OFFSET);
        this.maxH2cDataBytes = (int)Math.min(Wire.u32(reader.buffer(), IcDescriptor.MAX_OFFSET), options.maxDataBytes());
        reader.negotiated(headerDigest, dataDigest, 0, 0, options.maxDataBytes());
        writer.negotiated(headerDigest, dataDigest, cpda);
        // A platform thread: it blocks in the socket read itself, with no poller hand-off per wait.
        this.readerThread = Thread.ofPlatform().daemon().name("conduit-nvmf-host").unstarted(this::readLoop);
    }

    /**
     * Opens a queue: TCP connect, ICReq/ICResp, Connect.
     *
     * @param address      the target.
     * @param options      host NQN, digests, entries.
     * @param subsystemNqn the subsystem (or the discovery NQN).
     * @param qid          0 for the admin queue, else an I/O queue ID.
     * @param cntlid       0xFFFF for an admin queue (the controller picks), else the admin queue's controller ID.
     * @return the connected queue.
     * @throws ConduitException {@code NVME_COMMAND_FAILED} (domain NVME, the Connect status as native
     *                          code) when Connect is refused; {@code NVMF_CONNECTION_CLOSED} when the
     *                          connection fails.
     */
    public static HostQueue connect(
        final InetSocketAddress address, final Options options, final String subsystemNqn, final int qid, final int cntlid)
    {
        SocketChannel channel = null;
        HostQueue queue = null;
        // A peer that accepts and then says nothing would block the ICResp read forever: a watchdog
        // closes the socket when the connection steps overrun the command timeout.
        final AtomicBoolean settled = new AtomicBoolean();
        try
        {
            channel = SocketChannel.open();
            final SocketChannel watched = channel;
            CompletableFuture.delayedExecutor(options.commandTimeoutMs(), TimeUnit.MILLISECONDS).execute(() ->
            {
                if (settled.compareAndSet(false, true))
                {
                    closeQuietly(watched);
                }
            });
            channel.connect(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            queue = new HostQueue(channel, options);
            queue.readerThread.start();
            queue.fabricsConnect(subsystemNqn, qid, cntlid);
            if (!settled.compareAndSet(false, true))
            {
                throw new IOException("closed by the connect watchdog");
            }
            return queue;
        }
        catch (final IOException | RuntimeException e)
        {
            final boolean timedOut = !settled.compareAndSet(false, true);
            closeAfterFailure(channel, queue);
            if (timedOut)
            {
                throw new ConduitException(ErrorCode.TIMED_OUT, "no answer from " + address + " within "
                    + options.commandTimeoutMs() + " ms while connecting queue " + qid, e);
            }
            if (e instanceof IOException)
            {
                throw new ConduitException(ErrorCode.NVMF_CONNECTION_CLOSED, "cannot connect to " + address + ": " + e.getMessage(), e);
            }
            throw (RuntimeException)e;
        }
    }

    private static void closeAfterFailure(final SocketChannel channel, final HostQueue queue)
    {
        if (queue != null)
        {
            queue.close();
            return;
        }
        if (channel != null)
        {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(final SocketChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: close failed: {0}", e.toString());
        }
    }

    private void fabricsConnect(final String subsystemNqn, final int queueId, final int controllerId)
    {
        final MemorySegment sqe = arena.allocate(SqeDescriptor.LENGTH, 8);
        Sqes.fabrics(sqe, Opcodes.FCTYPE_CONNECT);
        Wire.put16(sqe, SqeDescriptor.CONNECT_QID_OFFSET, queueId);
        Wire.put16(sqe, SqeDescriptor.CONNECT_SQSIZE_OFFSET, options.queueEntries() - 1);
        Wire.put32(sqe, SqeDescriptor.CONNECT_KATO_OFFSET, queueId == 0 ? (int)options.keepAliveTimeoutMs() : 0);
        // I/O queues ask for no SQ flow control: the slot semaphore already bounds what is in flight,
        // and the controller may then complete a read with its data PDU alone (SUCCESS flag).
        Wire.put8(sqe, SqeDescriptor.CONNECT_CATTR_OFFSET, queueId == 0 ? 0 : CONNECT_CATTR_DISABLE_SQ_FLOW);
        final MemorySegment data = arena.allocate(SqeDescriptor.CONNECT_DATA_LENGTH, 8);
        final UUID hostId = UUID.nameUUIDFromBytes(options.hostNqn().getBytes(StandardCharsets.UTF_8));
        Wire.put64(data, SqeDescriptor.CONNECT_DATA_HOSTID_OFFSET, hostId.getMostSignificantBits());
        Wire.put64(data, SqeDescriptor.CONNECT_DATA_HOSTID_OFFSET + 8, hostId.getLeastSignificantBits());
        Wire.put16(data, SqeDescriptor.CONNECT_DATA_CNTLID_OFFSET, controllerId);
        Wire.putAscii(data, SqeDescriptor.CONNECT_DATA_SUBNQN_OFFSET, SqeDescriptor.NQN_LENGTH, subsystemNqn, (byte)0);
        Wire.putAscii(data, SqeDescriptor.CONNECT_DATA_HOSTNQN_OFFSET, SqeDescriptor.NQN_LENGTH, options.hostNqn(), (byte)0);
        // Connect data always travels in the capsule, as the Linux host sends it, whatever the in-capsule limit.
        final Completion completion = await(submit(sqe, data, true, true), "Connect", options.commandTimeoutMs());
        if (!completion.ok())
        {
            throw NvmeStatus.failure(completion.status(), "Connect to " + subsystemNqn + " queue " + queueId
                + " (" + NvmeStatus.name(completion.status()) + ", DW0 0x" + Long.toHexString(completion.result()) + ")");
        }
        this.qid = queueId;
        this.cntlid = (int)(completion.result() & 0xFFFF);
    }

    /**
     * Waits for a completion, turning transport failures into {@link ConduitException}s.
     *
     * @param future  a command's future.
     * @param command what it is, for messages.
     * @return the completion (any status).
     */
    public static Completion await(final CompletableFuture<Completion> future, final String command)
    {
        return await(future, command, DEFAULT_TIMEOUT_MS);
    }

    /**
     * Waits at most {@code timeoutMs} for a completion, turning transport failures into {@link ConduitException}s.
     *
     * @param future    a command's future.
     * @param command   what it is, for messages.
     * @param timeoutMs the bound.
     * @return the completion (any status).
     * @throws ConduitException {@code TIMED_OUT} past the bound; the command may still be in flight.
     */
    public static Completion await(final CompletableFuture<Completion> future, final String command, final long timeoutMs)
    {
        try
        {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException e)
        {
            if (e.getCause() instanceof ConduitException conduit)
            {
                throw conduit;
            }
            throw new ConduitException(ErrorCode.INTERNAL_ERROR, command + " failed: " + e.getCause(), e.getCause());
        }
        catch (final TimeoutException e)
        {
            throw new ConduitException(ErrorCode.TIMED_OUT, command + ": no completion within " + timeoutMs + " ms", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, command + " interrupted", e);
        }
    }

    /** @return the controller ID (from Connect). */
    public int cntlid()
    {
        return cntlid;
    }

    /** @return the queue ID. */
    public int qid()
    {
        return qid;
    }

    /** @return whether the connection is closed (by either side). */
    public boolean isClosed()
    {
        return closed;
    }

    /** @return completes with the reason when the connection closes, from either side. */
    public CompletableFuture<String> closedFuture()
    {
        return closedFuture;
    }

    /** @return why the connection closed (a termination request's status, the peer closing, ...). */
    public String closeReason()
    {
        return closeReason;
    }

    /**
     * Sends a command. Its CID and SGL1 are filled here.
     *
     * @param sqe            the command (64 bytes); copied before this returns.
     * @param data           the command's data: the source of a host-to-controller transfer, the
     *                       destination of a controller-to-host one; {@code null} for none.
     * @param hostToController the direction of {@code data}.
     * @return the completion's future; it fails with {@code NVMF_CONNECTION_CLOSED} if the connection ends first.
     */
    public CompletableFuture<Completion> submit(final MemorySegment sqe, final MemorySegment data, final boolean hostToController)
    {
        return submit(sqe, data, hostToController, false);
    }

    /**
     * Sends a command whose outcome goes to {@code handler} instead of a future: nothing is allocated
     * per command (a controller-to-host transfer into native memory the queue has seen before reads
     * straight from the socket into it).
     *
     * @param sqe              the command (64 bytes); copied before this returns.
     * @param data             the command's data, or {@code null}.
     * @param hostToController the direction of {@code data}.
     * @param handler          called once with the outcome.
     */
    public void submit(final MemorySegment sqe, final MemorySegment data, final boolean hostToController, final CompletionHandler handler)
    {
        submit(sqe, data, hostToController, false, handler);
    }

    private CompletableFuture<Completion> submit(
        final MemorySegment sqe, final MemorySegment data, final boolean hostToController, final boolean forceInCapsule)
    {
        final CompletionFuture future = new CompletionFuture();
        submit(sqe, data, hostToController, forceInCapsule, future);
        return future;
    }

    private void submit(
        final MemorySegment sqe, final MemorySegment data, final boolean hostToController, final boolean forceInCapsule,
        final CompletionHandler handler)
    {
        if (data != null && data.byteSize() > options.maxDataBytes() && !(hostToController && data.byteSize() <= options.inCapsuleDataBytes()))
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "transfer of " + data.byteSize() + " bytes above " + options.maxDataBytes());
        }
        slots.acquireUninterruptibly();
        final int cid;
        synchronized (freeCids)
        {
            cid = freeCids[--freeCidCount];
        }
        final Pending slot = pending[cid];
        synchronized (slot)
        {
            slot.data = data;
            slot.dataBytes = data == null ? 0 : data.byteSize();
            slot.handler = handler;
        }
        final long dataBytes = slot.dataBytes;
        final boolean inCapsule = hostToController && dataBytes > 0 && (forceInCapsule || dataBytes <= options.inCapsuleDataBytes());
        sendLock.lock();
        try
        {
            // Checked under the send lock: close() frees the send buffers under it.
            if (closed)
            {
                abandon(slot, cid);
                return;
            }
            MemorySegment.copy(sqe, 0, sendSqe, 0, SqeDescriptor.LENGTH);
            Wire.put16(sendSqe, SqeDescriptor.CID_OFFSET, cid);
            Wire.put8(sendSqe, SqeDescriptor.FLAGS_OFFSET, SqeDescriptor.FLAGS_PSDT_SGL);
            Wire.put64(sendSqe, SqeDescriptor.SGL_ADDRESS_OFFSET, 0);
            Wire.put32(sendSqe, SqeDescriptor.SGL_LENGTH_OFFSET, (int)dataBytes);
            Wire.put8(sendSqe, SqeDescriptor.SGL_TYPE_OFFSET, inCapsule ? SqeDescriptor.SGL_TYPE_IN_CAPSULE : SqeDescriptor.SGL_TYPE_TRANSPORT);
            writer.send(channel, writer.capsuleCmd(sendSqe, inCapsule ? (int)dataBytes : 0), inCapsule ? data.asByteBuffer() : null);
        }
        catch (final IOException e)
        {
            fail("send failed: " + e.getMessage());
        }
        finally
        {
            sendLock.unlock();
        }
    }

    /**
     * Sends raw bytes on the connection, bypassing the codec: for tests of the target's defences.
     *
     * @param bytes what to send.
     * @throws IOException when the connection is gone.
     */
    public void sendRaw(final ByteBuffer bytes) throws IOException
    {
        sendLock.lock();
        try
        {
            PduWriter.writeFully(channel, bytes);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    private void readLoop()
    {
        try
        {
            while (!closed && reader.readHeader(channel))
            {
                onPdu();
            }
            fail("the controller closed the connection");
        }
        catch (final PduException e)
        {
            skipData();
            terminate(e);
            fail("malformed PDU from the controller: " + e.getMessage());
        }
        catch (final IOException e)
        {
            fail("connection lost: " + e.getMessage());
        }
        catch (final RuntimeException | Error e)
        {
            LOG.log(System.Logger.Level.ERROR, "nvmf: host queue reader failed", e);
            fail("reader failed: " + e);
        }
    }

    private void onPdu() throws IOException
    {
        final MemorySegment b = reader.buffer();
        if (reader.type() != CommonHeaderDescriptor.TYPE_C2H_DATA)
        {
            reader.readData(channel);
        }
        switch (reader.type())
        {
            case CommonHeaderDescriptor.TYPE_CAPSULE_RESP ->
            {
                final int cqe = CapsuleDescriptor.ENTRY_OFFSET;
                final int cid = Wire.u16(b, cqe + CqeDescriptor.CID_OFFSET);
                final int status = NvmeStatus.fromField(Wire.u16(b, cqe + CqeDescriptor.STATUS_OFFSET));
                complete(slot(cid, cqe + CqeDescriptor.CID_OFFSET), cid, status, Wire.u64(b, cqe + CqeDescriptor.DW0_OFFSET));
            }
            case CommonHeaderDescriptor.TYPE_C2H_DATA ->
            {
                final int cid = Wire.u16(b, DataPduDescriptor.CCCID_OFFSET);
                final Pending slot = slot(cid, DataPduDescriptor.CCCID_OFFSET);
                final long offsetBytes = Wire.u32(b, DataPduDescriptor.OFFSET_OFFSET);
                final int lengthBytes = reader.dataLength();
                if (slot.data == null || offsetBytes + lengthBytes > slot.dataBytes)
                {
                    throw new PduException(TermStatus.DATA_TRANSFER_OUT_OF_RANGE, DataPduDescriptor.OFFSET_OFFSET,
                        "C2HData [" + offsetBytes + ", +" + lengthBytes + ") outside the command's " + slot.dataBytes + " bytes");
                }
                // Straight from the socket into the command's memory; the range check above comes first.
                reader.readDataInto(channel, views.of(slot.data), (int)offsetBytes);
                if (!reader.dataDigestOk())
                {
                    complete(slot, cid, NvmeStatus.TRANSIENT_TRANSPORT_ERROR, 0);
                }
                else if ((reader.flags() & CommonHeaderDescriptor.FLAG_SUCCESS) != 0)
                {
                    complete(slot, cid, NvmeStatus.SUCCESS, 0);
                }
            }
            case CommonHeaderDescriptor.TYPE_R2T -> onR2t(b);
            case CommonHeaderDescriptor.TYPE_C2H_TERM_REQ ->
            {
                final TermStatus status = TermStatus.ofValue(Wire.u16(b, TermReqDescriptor.FES_OFFSET));
                fail("the controller terminated the connection: " + status + " at byte " + Wire.u32(b, TermReqDescriptor.FEI_OFFSET));
            }
            default -> throw new IllegalStateException("reader accepted PDU type " + reader.type());
        }
    }

    private void onR2t(final MemorySegment b) throws IOException
    {
        final int cid = Wire.u16(b, DataPduDescriptor.CCCID_OFFSET);
        final Pending slot = slot(cid, DataPduDescriptor.CCCID_OFFSET);
        final int ttag = Wire.u16(b, DataPduDescriptor.TTAG_OFFSET);
        final long offsetBytes = Wire.u32(b, DataPduDescriptor.OFFSET_OFFSET);
        final long lengthBytes = Wire.u32(b, DataPduDescriptor.LENGTH_OFFSET);
        if (slot.data == null || offsetBytes + lengthBytes > slot.dataBytes)
        {
            throw new PduException(TermStatus.DATA_TRANSFER_OUT_OF_RANGE, DataPduDescriptor.OFFSET_OFFSET,
                "R2T [" + offsetBytes + ", +" + lengthBytes + ") outside the command's " + slot.dataBytes + " bytes");
        }
        long sentBytes = 0;
        while (sentBytes < lengthBytes)
        {
            final int pduBytes = (int)Math.min(maxH2cDataBytes, lengthBytes - sentBytes);
            final int fromBytes = (int)(offsetBytes + sentBytes);
            final ByteBuffer payload = views.of(slot.data).limit(fromBytes + pduBytes).position(fromBytes);
            final boolean last = sentBytes + pduBytes == lengthBytes;
            sendLock.lock();
            try
            {
                writer.send(channel, writer.h2cData(cid, ttag, offsetBytes + sentBytes, pduBytes, last), payload);
            }
            finally
            {
                sendLock.unlock();
            }
            sentBytes += pduBytes;
        }
    }

    private Pending slot(final int cid, final int fieldOffset)
    {
        if (cid >= pending.length || pending[cid].handler == null)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, fieldOffset, "CID " + cid + " is not in flight");
        }
        return pending[cid];
    }

    private void complete(final Pending slot, final int cid, final int status, final long result)
    {
        final CompletionHandler handler = take(slot);
        if (handler == null)
        {
            return;
        }
        release(cid);
        handler.completed(status, result, null);
    }

    private void abandon(final Pending slot, final int cid)
    {
        final CompletionHandler handler = take(slot);
        if (handler != null)
        {
            release(cid);
            handler.completed(NvmeStatus.TRANSIENT_TRANSPORT_ERROR, 0, closedException());
        }
    }

    private static CompletionHandler take(final Pending slot)
    {
        synchronized (slot)
        {
            final CompletionHandler handler = slot.handler;
            slot.handler = null;
            slot.data = null;
            return handler;
        }
    }

    private void release(final int cid)
    {
        synchronized (freeCids)
        {
            freeCids[freeCidCount++] = cid;
        }
        slots.release();
    }

    private void skipData()
    {
        try
        {
            reader.skipData(channel);
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: data of a refused PDU not read: {0}", e.toString());
        }
    }

    private void terminate(final PduException e)
    {
        sendLock.lock();
        try
        {
            writer.send(channel, writer.termReq(CommonHeaderDescriptor.TYPE_H2C_TERM_REQ, e.status(), e.fieldOffset(),
                reader.buffer().asSlice(0, CommonHeaderDescriptor.LENGTH)), null);
        }
        catch (final IOException io)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: termination request not sent: {0}", io.toString());
        }
        finally
        {
            sendLock.unlock();
        }
    }

    private ConduitException closedException()
    {
        return new ConduitException(ErrorCode.NVMF_CONNECTION_CLOSED, "NVMe/TCP queue " + qid + " closed: " + closeReason);
    }

    private void fail(final String reason)
    {
        if (!closed)
        {
            closeReason = reason;
        }
        closeChannel();
        closedFuture.complete(closeReason);
        for (int cid = 0; cid < pending.length; cid++)
        {
            abandon(pending[cid], cid);
        }
    }

    private void closeChannel()
    {
        closed = true;
        closeQuietly(channel);
    }

    /** Closes the connection (no Disconnect: the target tears the queue down when the socket closes). */
    @Override
    public void close()
    {
        closeChannel();
        if (readerThread != null)
        {
            try
            {
                readerThread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (!readerThread.isAlive())
        {
            sendLock.lock();
            try
            {
                if (arena.scope().isAlive())
                {
                    arena.close();
                }
            }
            finally
            {
                sendLock.unlock();
            }
        }
    }
}
