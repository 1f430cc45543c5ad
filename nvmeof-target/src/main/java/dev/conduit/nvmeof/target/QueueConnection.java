package dev.conduit.nvmeof.target;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
import dev.conduit.nvmeof.pdu.ReadAheadChannel;
import dev.conduit.nvmeof.pdu.TermReqDescriptor;
import dev.conduit.nvmeof.pdu.TermStatus;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * One NVMe/TCP connection: one queue (admin or I/O) of one controller. Reads PDUs, keeps the R2T
 * state of commands whose data the host sends later, runs admin and fabrics commands itself, runs
 * I/O commands on RAM namespaces itself too (a memory copy is cheaper than any thread hand-off), and
 * hands every other I/O command to a virtual thread, so a slow namespace never stalls the reading of
 * the next command (the queue depth is SQSIZE, up to {@code maxQueueEntries}).
 *
 * <p>Batching: the socket is read through a {@link ReadAheadChannel}, so a burst of commands costs
 * one {@code read(2)}; the responses of commands run here wait in the {@link CompletionSender}
 * until every command already read has run, and go out in one gathering write just before the next
 * read that may block (as SPDK's socket groups batch their responses).
 *
 * <p>A PDU that breaks the binding is answered with a C2HTermReq carrying the status and field
 * offset, and this connection (only) closes.
 *
 * <p>Threading: {@link #run()} is the connection's reading thread (a platform thread); it reads
 * each PDU's header first and a data PDU's payload into its command's buffer. I/O command
 * threads and the keep-alive timer only send, under {@code sendLock} (completions through the
 * {@link CompletionSender}, which batches those that meet a send in progress), and {@link #close()}.
 * The receive buffers, the R2T table and the command free list's taking side belong to the
 * reading thread.
 *
 * <p>Why it is one class (~620 lines): the PDU codec ({@code pdu}), the commands ({@code command}),
 * the sender ({@link CompletionSender}) and the read-ahead ({@link ReadAheadChannel}) are already
 * their own classes. What is left is the receive loop and the per-command state that the loop, the
 * R2T path and the inline I/O path all read and write on the reading thread: split apart, each part
 * would need that state passed in or shared across threads.
 */
final class QueueConnection implements Runnable
{
    private static final System.Logger LOG = System.getLogger("conduit.nvmf");
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    // Enough for a queue depth of 32 4 KiB writes' capsules, or hundreds of read capsules, per read(2).
    private static final int READ_AHEAD_BYTES = 64 * 1024;

    private final NvmfTarget target;
    private final SocketChannel channel;
    private final NvmfTargetConfig config;
    private final Arena arena = Arena.ofShared();
    private final PduReader reader;
    private final ReadAheadChannel input;
    private final PduWriter writer;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drained = drainLock.newCondition();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletionSender sender;
    // Commands whose responses were sent (any thread pushes), and the reading thread's own list taken from it
    // whole: a lock-free stack through Command.nextFree, so recycling a command allocates nothing.
    private final AtomicReference<Command> released = new AtomicReference<>();
    private Command free;
    private final Map<Integer, Command> transfers = new HashMap<>();
    // Commands received whose response has not yet been handed to the socket: what SQSIZE bounds.
    // Separate from the pool, because a command's memory is reused only after its response is
    // written, and the host may legally send the next command as soon as it has read that response.
    private final AtomicInteger outstanding = new AtomicInteger();
    private int commandsCreated;
    private volatile boolean closed;

    private volatile Controller controller;
    private int qid = -1;
    private int sqSize = 1;
    private volatile int sqHead;
    private boolean sqFlowDisabled;

    QueueConnection(final NvmfTarget target, final SocketChannel channel)
    {
        this.target = target;
        this.channel = channel;
        this.config = target.config();
        this.reader = PduReader.forController(arena, Math.max(config.inCapsuleDataBytes(), config.maxH2cDataBytes()));
        this.writer = new PduWriter(arena);
        this.sender = new CompletionSender(this, channel, writer, sendLock);
        this.input = new ReadAheadChannel(arena, channel, READ_AHEAD_BYTES, sender::flush, availableBytes(channel), config.pollSpinNs());
    }

    @Override
    public void run()
    {
        try
        {
            while (!closed && reader.readHeader(input))
            {
                onPdu();
            }
        }
        catch (final PduException e)
        {
            LOG.log(System.Logger.Level.WARNING, "nvmf: closing connection from {0}: {1}", peer(), e.getMessage());
            target.countTermination();
            skipData();
            terminate(e.status(), e.fieldOffset());
        }
        catch (final IOException e)
        {
            if (!closed)
            {
                LOG.log(System.Logger.Level.DEBUG, "nvmf: connection from {0} ended: {1}", peer(), e.toString());
            }
        }
        catch (final RuntimeException | Error e)
        {
            LOG.log(System.Logger.Level.ERROR, "nvmf: connection from " + peer() + " failed", e);
        }
        finally
        {
            close();
            final Controller ctrl = controller;
            if (ctrl != null)
            {
                ctrl.onQueueClosed(this);
            }
            if (awaitDrained())
            {
                arena.close();
            }
            else
            {
                // Closing the arena under a running namespace call would fail that call; leak it instead.
                LOG.log(System.Logger.Level.ERROR, "nvmf: {0} I/O commands still running on queue {1}; buffers not freed",
                    inFlight.get(), qid);
            }
            target.onConnectionClosed(this);
        }
    }

    /** Closes the socket; the reading thread then winds the connection down. Any thread. */
    void close()
    {
        closed = true;
        try
        {
            channel.close();
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: close failed: {0}", e.toString());
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    int qid()
    {
        return qid;
    }

    NvmfTarget target()
    {
        return target;
    }

    NvmfTargetConfig config()
    {
        return config;
    }

    Controller controller()
    {
        return controller;
    }

    String localAddress()
    {
        try
        {
            final InetSocketAddress address = (InetSocketAddress)channel.getLocalAddress();
            return address.getAddress().getHostAddress();
        }
        catch (final IOException e)
        {
            return config.bindAddress();
        }
    }

    /** Binds this connection to a controller as queue {@code queueId}; called by Connect. */
    void attach(final Controller ctrl, final int queueId, final int entries, final boolean disableSqFlow)
    {
        this.controller = ctrl;
        this.qid = queueId;
        this.sqSize = entries;
        this.sqFlowDisabled = disableSqFlow;
    }

    /** FIONREAD through the socket adaptor: the one non-blocking look at a blocking channel. */
    private static ReadAheadChannel.Available availableBytes(final SocketChannel channel)
    {
        try
        {
            final InputStream probe = channel.socket().getInputStream();
            return probe::available;
        }
        catch (final IOException e)
        {
            // Closed or shut down before the first read: that read fails, and nothing polls.
            return () -> 1;
        }
    }

    private String peer()
    {
        try
        {
            return String.valueOf(channel.getRemoteAddress());
        }
        catch (final IOException e)
        {
            return "?";
        }
    }

    private void onPdu() throws IOException
    {
        if (reader.type() != CommonHeaderDescriptor.TYPE_H2C_DATA)
        {
            reader.readData(input);
        }
        switch (reader.type())
        {
            case CommonHeaderDescriptor.TYPE_IC_REQ -> onIcReq();
            case CommonHeaderDescriptor.TYPE_CAPSULE_CMD -> onCapsule();
            case CommonHeaderDescriptor.TYPE_H2C_DATA -> onH2cData();
            case CommonHeaderDescriptor.TYPE_H2C_TERM_REQ ->
            {
                LOG.log(System.Logger.Level.WARNING, "nvmf: host {0} terminated the connection, FES {1}", peer(),
                    Wire.u16(reader.buffer(), TermReqDescriptor.FES_OFFSET));
                close();
            }
            default -> throw new IllegalStateException("reader accepted PDU type " + reader.type());
        }
    }

    private void onIcReq() throws IOException
    {
        final MemorySegment b = reader.buffer();
        final int hpda = Wire.u8(b, IcDescriptor.PDA_OFFSET);
        final int dgst = Wire.u8(b, IcDescriptor.DGST_OFFSET);
        final boolean headerDigest = (dgst & IcDescriptor.DGST_HEADER) != 0;
        final boolean dataDigest = (dgst & IcDescriptor.DGST_DATA) != 0;
        sendLock.lock();
        try
        {
            // ICResp goes out before digests apply: it is never digested.
            writer.send(channel, writer.icResp(0, headerDigest, dataDigest, config.maxH2cDataBytes()), null);
            writer.negotiated(headerDigest, dataDigest, hpda);
        }
        finally
        {
            sendLock.unlock();
        }
        reader.negotiated(headerDigest, dataDigest, 0, config.inCapsuleDataBytes(), config.maxH2cDataBytes());
    }

    private Command takeCommand()
    {
        if (outstanding.incrementAndGet() > Math.max(sqSize, 1))
        {
            // More outstanding commands than SQSIZE: the host ignored flow control.
            throw new PduException(TermStatus.PDU_SEQUENCE_ERROR, 0,
                "more than " + sqSize + " commands outstanding on queue " + qid);
        }
        Command command = free;
        if (command == null)
        {
            command = released.getAndSet(null);
        }
        if (command != null)
        {
            free = command.nextFree;
            command.nextFree = null;
            command.reset();
            return command;
        }
        // At most SQSIZE outstanding plus SQSIZE whose responses are being written.
        if (commandsCreated >= 2 * (Math.max(sqSize, 1) + 1))
        {
            throw new PduException(TermStatus.PDU_SEQUENCE_ERROR, 0,
                "more than " + sqSize + " commands outstanding on queue " + qid + " while responses are being written");
        }
        commandsCreated++;
        return new Command(arena, config.maxDataTransferBytes());
    }

    /** The command's response is about to be written: from here on the host may reuse its slot. */
    void responded()
    {
        outstanding.decrementAndGet();
    }

    /** The command's response is sent: it may be reused. Any thread. */
    void release(final Command command)
    {
        Command head;
        do
        {
            head = released.get();
            command.nextFree = head;
        }
        while (!released.compareAndSet(head, command));
    }

    private void onCapsule() throws IOException
    {
        final Command command = takeCommand();
        MemorySegment.copy(reader.buffer(), CapsuleDescriptor.ENTRY_OFFSET, command.sqe, 0, SqeDescriptor.LENGTH);
        sqHead = sqHead + 1 == sqSize ? 0 : sqHead + 1;
        final Controller ctrl = controller;
        if (ctrl != null)
        {
            ctrl.touch();
        }
        final int opcode = command.opcode();
        final int inCapsuleBytes = reader.dataLength();
        if (inCapsuleBytes > 0 && !reader.dataDigestOk())
        {
            complete(command, NvmeStatus.TRANSIENT_TRANSPORT_ERROR);
            return;
        }
        if (opcode == Opcodes.FABRICS)
        {
            final int status = FabricsHandler.execute(this, command, reader.buffer(), reader.dataOffset(), inCapsuleBytes);
            complete(command, status);
            if (status == NvmeStatus.SUCCESS && Wire.u8(command.sqe, SqeDescriptor.FCTYPE_OFFSET) == Opcodes.FCTYPE_DISCONNECT)
            {
                close();
            }
            return;
        }
        if (ctrl == null)
        {
            complete(command, NvmeStatus.COMMAND_SEQUENCE_ERROR | NvmeStatus.DNR);
            return;
        }
        if (qid == 0)
        {
            final int status = AdminHandler.execute(this, ctrl, command, reader.buffer(), reader.dataOffset(), inCapsuleBytes);
            if (status != AdminHandler.HELD)
            {
                complete(command, status);
            }
            return;
        }
        onIoCapsule(ctrl, command, inCapsuleBytes);
    }

    private void onIoCapsule(final Controller ctrl, final Command command, final int inCapsuleBytes) throws IOException
    {
        final int status = IoHandler.check(ctrl.subsystem(), command, config.maxDataTransferBytes());
        if (status != NvmeStatus.SUCCESS)
        {
            complete(command, status);
            return;
        }
        if (!Opcodes.hostToController(command.opcode()) || command.dataBytes == 0)
        {
            dispatch(ctrl, command);
            return;
        }
        final int sglType = command.sglType();
        if (sglType == SqeDescriptor.SGL_TYPE_IN_CAPSULE)
        {
            if (command.sglAddress() != 0)
            {
                complete(command, NvmeStatus.SGL_OFFSET_INVALID | NvmeStatus.DNR);
                return;
            }
            if (inCapsuleBytes != command.dataBytes)
            {
                complete(command, NvmeStatus.SGL_LENGTH_INVALID | NvmeStatus.DNR);
                return;
            }
            MemorySegment.copy(reader.buffer(), reader.dataOffset(), command.buffer(), 0, inCapsuleBytes);
            dispatch(ctrl, command);
            return;
        }
        if (sglType != SqeDescriptor.SGL_TYPE_TRANSPORT || inCapsuleBytes != 0)
        {
            complete(command, NvmeStatus.SGL_TYPE_INVALID | NvmeStatus.DNR);
            return;
        }
        command.transferBytes = command.dataBytes;
        transfers.put(command.cid(), command);
        sendR2t(command);
    }

    private void sendR2t(final Command command) throws IOException
    {
        final int offsetBytes = command.receivedBytes;
        final int lengthBytes = Math.min(config.maxH2cDataBytes(), command.transferBytes - offsetBytes);
        command.r2tEndBytes = offsetBytes + lengthBytes;
        sendLock.lock();
        try
        {
            // TTAG = CID: unique among this queue's outstanding commands, as a TTAG must be.
            writer.send(channel, writer.r2t(command.cid(), command.cid(), offsetBytes, lengthBytes), null);
        }
        finally
        {
            sendLock.unlock();
        }
        sender.flush();
    }

    private void onH2cData() throws IOException
    {
        final MemorySegment b = reader.buffer();
        final int cccid = Wire.u16(b, DataPduDescriptor.CCCID_OFFSET);
        final int ttag = Wire.u16(b, DataPduDescriptor.TTAG_OFFSET);
        final Command command = transfers.get(ttag);
        if (command == null || command.cid() != cccid)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, DataPduDescriptor.TTAG_OFFSET,
                "H2CData for CCCID " + cccid + " TTAG " + ttag + ", which no R2T announced");
        }
        final long offsetBytes = Wire.u32(b, DataPduDescriptor.OFFSET_OFFSET);
        final int lengthBytes = reader.dataLength();
        if (offsetBytes != command.receivedBytes || offsetBytes + lengthBytes > command.r2tEndBytes)
        {
            throw new PduException(TermStatus.DATA_TRANSFER_OUT_OF_RANGE, DataPduDescriptor.OFFSET_OFFSET,
                "H2CData [" + offsetBytes + ", +" + lengthBytes + ") outside the R2T window [" + command.receivedBytes
                    + ", " + command.r2tEndBytes + ")");
        }
        final boolean last = (reader.flags() & CommonHeaderDescriptor.FLAG_LAST_PDU) != 0;
        if (last && offsetBytes + lengthBytes != command.r2tEndBytes)
        {
            throw new PduException(TermStatus.DATA_TRANSFER_OUT_OF_RANGE, DataPduDescriptor.LENGTH_OFFSET,
                "LAST_PDU at " + (offsetBytes + lengthBytes) + " before the R2T's end " + command.r2tEndBytes);
        }
        // Straight from the socket into the command's buffer, after the window checks above.
        reader.readDataInto(input, command.bufferView(command.transferBytes), (int)offsetBytes);
        command.digestError |= !reader.dataDigestOk();
        command.receivedBytes += lengthBytes;
        if (command.receivedBytes < command.r2tEndBytes)
        {
            return;
        }
        if (command.receivedBytes < command.transferBytes)
        {
            sendR2t(command);
            return;
        }
        transfers.remove(ttag);
        if (command.digestError)
        {
            complete(command, NvmeStatus.TRANSIENT_TRANSPORT_ERROR);
            return;
        }
        dispatch(controller, command);
    }

    private void dispatch(final Controller ctrl, final Command command)
    {
        if (IoHandler.runsInline(ctrl.subsystem(), command))
        {
            // The response waits for the batch: sent before the next read that may block.
            sender.defer(command, IoHandler.execute(ctrl.subsystem(), command, target.zeroes()));
            return;
        }
        inFlight.incrementAndGet();
        Thread.ofVirtual().name("conduit-nvmf-io").start(() -> runIo(ctrl, command));
    }

    private void runIo(final Controller ctrl, final Command command)
    {
        try
        {
            final int status = IoHandler.execute(ctrl.subsystem(), command, target.zeroes());
            // Not waiting for a send in progress: its sender takes this response along.
            sender.offer(command, status);
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: response not sent: {0}", e.toString());
            close();
        }
        catch (final RuntimeException | Error e)
        {
            LOG.log(System.Logger.Level.ERROR, "nvmf: I/O command failed", e);
            close();
        }
        finally
        {
            if (inFlight.decrementAndGet() == 0)
            {
                signalDrained();
            }
        }
    }

    /**
     * Sends the command's data (C2HData, when it succeeded and returns data) and its response, then
     * recycles the command; returns once they are sent. Any thread.
     */
    void complete(final Command command, final int status) throws IOException
    {
        sender.send(command, status);
    }

    int sqHead()
    {
        return sqHead;
    }

    boolean sqFlowDisabled()
    {
        return sqFlowDisabled;
    }

    private void skipData()
    {
        try
        {
            reader.skipData(input);
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: data of a refused PDU not read: {0}", e.toString());
        }
    }

    private void terminate(final TermStatus status, final int fieldOffset)
    {
        try
        {
            // Responses batched before the offending PDU go out ahead of the termination request.
            sender.flush();
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: batched responses not sent: {0}", e.toString());
        }
        sendLock.lock();
        try
        {
            // The common header is the part of the offending PDU that was certainly read.
            writer.send(channel, writer.termReq(CommonHeaderDescriptor.TYPE_C2H_TERM_REQ, status, fieldOffset,
                reader.buffer().asSlice(0, CommonHeaderDescriptor.LENGTH)), null);
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: termination request not sent: {0}", e.toString());
        }
        finally
        {
            sendLock.unlock();
        }
    }

    private void signalDrained()
    {
        drainLock.lock();
        try
        {
            drained.signalAll();
        }
        finally
        {
            drainLock.unlock();
        }
    }

    private boolean awaitDrained()
    {
        final long deadlineNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
        drainLock.lock();
        try
        {
            while (inFlight.get() > 0)
            {
                final long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0)
                {
                    return false;
                }
                drained.awaitNanos(leftNs);
            }
            return true;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        finally
        {
            drainLock.unlock();
        }
    }
}
