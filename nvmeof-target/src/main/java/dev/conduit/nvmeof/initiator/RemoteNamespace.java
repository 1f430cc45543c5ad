package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.namespace.IoAlignment;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * One namespace of a remote NVMe/TCP subsystem as a block-layout {@link Namespace}: connects a
 * controller (admin queue and {@code ioQueues} I/O queues), reads the LBA format and size from
 * Identify Namespace, and turns each read or write into commands of at most MDTS bytes spread over
 * the I/O queues. A non-zero NVMe status is a {@code NVME_COMMAND_FAILED} exception (domain NVME);
 * a lost connection is {@code NVMF_CONNECTION_CLOSED}. Sends Keep Alive every KATO / 2 when the
 * options set a KATO.
 *
 * <pre>{@code
 * try (RemoteNamespace ns = RemoteNamespace.connect(address, HostQueue.Options.of(hostNqn), "nqn.2026-01.dev.conduit:ram0", 1, 2))
 * {
 *     ns.write(block, 0);
 *     ns.flush();
 * }
 * }</pre>
 *
 * <p>Not yet: reconnect after a lost connection (every later call fails), discovery, use as a
 * scheduler backend.
 *
 * <p>Threading: safe for concurrent transfers to disjoint ranges, like every {@link Namespace}.
 */
public final class RemoteNamespace implements Namespace
{
    private final HostController controller;
    private final String id;
    private final long nsid;
    private final int blockSize;
    private final long capacityBytes;
    private final int maxTransferBytes;
    private final int ioQueues;
    private final AtomicInteger nextQueue = new AtomicInteger();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment keepAliveSqe;
    private final ScheduledExecutorService keepAlive;
    private volatile boolean closed;

    private RemoteNamespace(final HostController controller, final String id, final long nsid, final int ioQueues, final long keepAliveMs)
    {
        this.controller = controller;
        this.id = id;
        this.nsid = nsid;
        this.ioQueues = ioQueues;
        this.keepAliveSqe = Sqes.plain(arena.allocate(64, 8), Opcodes.ADMIN_KEEP_ALIVE, 0);
        try (Arena scratch = Arena.ofShared())   // the queue's reading thread fills it
        {
            final MemorySegment ctrl = controller.identify(scratch, 0x01, 0);
            final int mdts = Wire.u8(ctrl, 77);
            // MDTS is a power of two in units of the minimum page size (4 KiB here, CAP.MPSMIN = 0); 0 = no limit.
            this.maxTransferBytes = mdts == 0 ? 1 << 20 : (int)Math.min(1L << 20, 4096L << mdts);
            final MemorySegment ns = controller.identify(scratch, 0x00, nsid);
            final long blocks = Wire.u64(ns, 0);
            final int format = Wire.u8(ns, 26) & 0xF;
            final int lbads = Wire.u8(ns, 128 + 4L * format + 2);
            if (blocks == 0)
            {
                throw new ConduitException(ErrorCode.NOT_FOUND, id + ": namespace " + nsid + " is not active");
            }
            if (lbads < 9 || lbads > 12 || Wire.u16(ns, 128 + 4L * format) != 0)
            {
                throw new ConduitException(ErrorCode.NOT_SUPPORTED, id + ": LBA format " + format + " (2^" + lbads
                    + "-byte blocks, metadata " + Wire.u16(ns, 128 + 4L * format) + ") is not 512..4096 bytes without metadata");
            }
            this.blockSize = 1 << lbads;
            this.capacityBytes = blocks * blockSize;
        }
        if (keepAliveMs > 0)
        {
            keepAlive = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("conduit-nvmf-keepalive").unstarted(r));
            keepAlive.scheduleAtFixedRate(this::sendKeepAlive, keepAliveMs / 2, keepAliveMs / 2, TimeUnit.MILLISECONDS);
        }
        else
        {
            keepAlive = null;
        }
    }

    /**
     * Connects to namespace {@code nsid} of {@code subsystemNqn}.
     *
     * @param address      the target.
     * @param options      host NQN, digests, queue entries, KATO.
     * @param subsystemNqn the subsystem.
     * @param nsid         the namespace ID.
     * @param ioQueues     I/O queues to open (each its own connection).
     * @return the connected namespace.
     */
    public static RemoteNamespace connect(
        final InetSocketAddress address, final HostQueue.Options options, final String subsystemNqn, final long nsid, final int ioQueues)
    {
        if (ioQueues < 1)
        {
            throw new IllegalArgumentException("ioQueues must be >= 1: " + ioQueues);
        }
        final HostController controller = HostController.connect(address, options, subsystemNqn, ioQueues);
        try
        {
            return new RemoteNamespace(controller, "nvmf://" + address.getHostString() + ":" + address.getPort() + "/" + subsystemNqn + "/" + nsid,
                nsid, ioQueues, options.keepAliveTimeoutMs());
        }
        catch (final RuntimeException e)
        {
            controller.close();
            throw e;
        }
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public long capacityBytes()
    {
        return capacityBytes;
    }

    /** @return the largest transfer of one command (MDTS), in bytes. */
    public int maxTransferBytes()
    {
        return maxTransferBytes;
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        transfer(Opcodes.IO_READ, dst, offsetBytes, "read");
        return dst.byteSize();
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        transfer(Opcodes.IO_WRITE, src, offsetBytes, "write");
    }

    @Override
    public void flush()
    {
        ensureOpen();
        final HostQueue.Completion completion = HostQueue.await(
            queue().submit(Sqes.plain(newSqe(), Opcodes.IO_FLUSH, nsid), null, false), "flush " + id);
        if (!completion.ok())
        {
            throw NvmeStatus.failure(completion.status(), "flush " + id);
        }
    }

    private void transfer(final int opcode, final MemorySegment buffer, final long offsetBytes, final String operation)
    {
        ensureOpen();
        IoAlignment.check(this, buffer, offsetBytes, operation);
        final long lengthBytes = buffer.byteSize();
        final List<CompletableFuture<HostQueue.Completion>> pieces = new ArrayList<>();
        final MemorySegment sqe = newSqe();
        for (long doneBytes = 0; doneBytes < lengthBytes; doneBytes += maxTransferBytes)
        {
            final long pieceBytes = Math.min(maxTransferBytes, lengthBytes - doneBytes);
            Sqes.readWrite(sqe, opcode, nsid, (offsetBytes + doneBytes) / blockSize, (int)(pieceBytes / blockSize));
            pieces.add(queue().submit(sqe, buffer.asSlice(doneBytes, pieceBytes), opcode == Opcodes.IO_WRITE));
        }
        // Every piece is awaited before reporting, so no command still writes into the caller's buffer
        // after this returns or throws.
        RuntimeException failure = null;
        for (final CompletableFuture<HostQueue.Completion> piece : pieces)
        {
            try
            {
                final HostQueue.Completion completion = HostQueue.await(piece, operation + " " + id);
                if (!completion.ok() && failure == null)
                {
                    failure = NvmeStatus.failure(completion.status(), operation + " " + id + " off=" + offsetBytes + " len=" + lengthBytes);
                }
            }
            catch (final RuntimeException e)
            {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /** A heap SQE per call: {@link HostQueue#submit} copies it, so it needs no native memory or owner. */
    private static MemorySegment newSqe()
    {
        return MemorySegment.ofArray(new byte[64]);
    }

    private HostQueue queue()
    {
        return controller.io(Math.floorMod(nextQueue.getAndIncrement(), ioQueues));
    }

    private void sendKeepAlive()
    {
        if (closed)
        {
            return;
        }
        try
        {
            controller.adminCommand(keepAliveSqe, null, "Keep Alive");
        }
        catch (final ConduitException e)
        {
            if (closed)
            {
                return;   // close() interrupted it
            }
            System.getLogger("conduit.nvmf").log(System.Logger.Level.WARNING, "nvmf: keep-alive to {0} failed: {1}", id, e.getMessage());
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw IoAlignment.closed(this);
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (keepAlive != null)
        {
            keepAlive.shutdownNow();
            try
            {
                // A Keep Alive in progress still uses the arena's SQE.
                keepAlive.awaitTermination(35, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        try
        {
            controller.close();
        }
        finally
        {
            arena.close();
        }
    }
}
