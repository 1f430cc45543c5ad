package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.blocklayout.namespace.IoAlignment;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.pdu.Wire;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.store.BackendSource;

/**
 * One namespace of a remote NVMe/TCP subsystem as a block-layout {@link Namespace}: connects a
 * controller (admin queue and {@code ioQueues} I/O queues), reads the LBA format and size from
 * Identify Namespace, and turns each read or write into commands of at most MDTS bytes spread over
 * the I/O queues. A non-zero NVMe status is a {@code NVME_COMMAND_FAILED} exception (domain NVME).
 * Sends Keep Alive every KATO / 2 when the options set a KATO.
 *
 * <p>Connection loss: when a command's connection closes or it gets no completion within the
 * options' command timeout, the controller is dropped, a new one is connected under the
 * {@link ReconnectPolicy} (bounded attempts with doubling back-off; the namespace must still have
 * the same block size and capacity) and the commands that did not complete are sent again on it.
 * Reads, writes and flushes are idempotent for a caller that keeps to the {@link Namespace} contract
 * (no concurrent transfers to overlapping ranges), so a resent command that had already run does no
 * harm. When the attempts run out the call fails with {@code NVMF_RECONNECT_FAILED}; a command is
 * never reported done without its completion. A command abandoned on a stalled (not closed)
 * connection may still run late on the target: the same caveat as any NVMe host's retry.
 *
 * <pre>{@code
 * try (RemoteNamespace ns = RemoteNamespace.connect(address, HostQueue.Options.of(hostNqn), "nqn.2026-01.dev.conduit:ram0", 1, 2))
 * {
 *     ns.write(block, 0);
 *     ns.flush();
 * }
 * }</pre>
 *
 * <p>Under the scheduler it is served by an {@link NvmfBackend} (asynchronous, completions from the
 * queues' reading threads) rather than the pread pool: it is a {@link BackendSource}.
 *
 * <p>Why it is one class (~640 lines): splitting a transfer into commands, resending the ones
 * left without a completion and swapping in a reconnected controller all act on the same
 * in-flight state under the reconnect lock; the wire is {@link HostQueue}'s, the controller
 * set-up {@link HostController}'s and discovery {@link Discovery}'s.
 *
 * <p>Threading: safe for concurrent transfers to disjoint ranges, like every {@link Namespace}.
 */
public final class RemoteNamespace implements Namespace, BackendSource
{
    private static final System.Logger LOG = System.getLogger("conduit.nvmf");
    /** A thread that owns no memory: a segment it may access is not confined to its caller. */
    private static final Thread OTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    /** Block size, capacity and MDTS as Identify reports them. */
    private record Geometry(int blockSize, long capacityBytes, int maxTransferBytes)
    {
    }

    /** Sends piece {@code index} of an operation on {@code controller}. */
    @FunctionalInterface
    private interface Piece
    {
        CompletableFuture<HostQueue.Completion> submit(HostController controller, int index);
    }

    private final InetSocketAddress address;
    private final HostQueue.Options options;
    private final String subsystemNqn;
    private final ReconnectPolicy policy;
    private final String id;
    private final long nsid;
    private final int blockSize;
    private final long capacityBytes;
    private final int maxTransferBytes;
    private final int ioQueues;
    private final AtomicInteger nextQueue = new AtomicInteger();
    private final AtomicLong reconnects = new AtomicLong();
    private final Object reconnectLock = new Object();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment keepAliveSqe;
    private final ScheduledExecutorService keepAlive;
    private volatile HostController controller;
    private volatile boolean closed;
    private HostController failedController;
    private ConduitException failedReconnect;
    private long failedReconnectNs;

    private RemoteNamespace(final InetSocketAddress address, final HostQueue.Options options, final String subsystemNqn,
        final long nsid, final int ioQueues, final ReconnectPolicy policy, final HostController controller)
    {
        this.address = address;
        this.options = options;
        this.subsystemNqn = subsystemNqn;
        this.policy = policy;
        this.controller = controller;
        this.id = "nvmf://" + address.getHostString() + ":" + address.getPort() + "/" + subsystemNqn + "/" + nsid;
        this.nsid = nsid;
        this.ioQueues = ioQueues;
        this.keepAliveSqe = Sqes.plain(arena.allocate(64, 8), Opcodes.ADMIN_KEEP_ALIVE, 0);
        final Geometry geometry = geometry(controller);
        this.blockSize = geometry.blockSize();
        this.capacityBytes = geometry.capacityBytes();
        this.maxTransferBytes = geometry.maxTransferBytes();
        final long keepAliveMs = options.keepAliveTimeoutMs();
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

    private Geometry geometry(final HostController host)
    {
        try (Arena scratch = Arena.ofShared())   // the queue's reading thread fills it
        {
            final MemorySegment ctrl = host.identify(scratch, 0x01, 0);
            final int mdts = Wire.u8(ctrl, 77);
            // MDTS is a power of two in units of the minimum page size (4 KiB here, CAP.MPSMIN = 0); 0 = no limit
            // (the kernel's nvmet-tcp), and then the host's own limit applies: HostQueue takes no transfer above
            // options.maxDataBytes() and bounds each C2HData PDU by it.
            final long hostLimit = Math.min(1L << 20, options.maxDataBytes());
            final int maxTransfer = (int)(mdts == 0 ? hostLimit : Math.min(hostLimit, 4096L << mdts));
            final MemorySegment ns = host.identify(scratch, 0x00, nsid);
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
            return new Geometry(1 << lbads, blocks << lbads, maxTransfer);
        }
    }

    /**
     * Connects to namespace {@code nsid} of {@code subsystemNqn}, reconnecting under {@link ReconnectPolicy#defaults()}.
     *
     * @param address      the target.
     * @param options      host NQN, digests, queue entries, KATO, command timeout.
     * @param subsystemNqn the subsystem.
     * @param nsid         the namespace ID.
     * @param ioQueues     I/O queues to open (each its own connection).
     * @return the connected namespace.
     */
    public static RemoteNamespace connect(
        final InetSocketAddress address, final HostQueue.Options options, final String subsystemNqn, final long nsid, final int ioQueues)
    {
        return connect(address, options, subsystemNqn, nsid, ioQueues, ReconnectPolicy.defaults());
    }

    /**
     * Connects to namespace {@code nsid} of {@code subsystemNqn}.
     *
     * @param address      the target.
     * @param options      host NQN, digests, queue entries, KATO, command timeout.
     * @param subsystemNqn the subsystem.
     * @param nsid         the namespace ID.
     * @param ioQueues     I/O queues to open (each its own connection).
     * @param policy       how to reconnect after a lost connection.
     * @return the connected namespace.
     */
    public static RemoteNamespace connect(final InetSocketAddress address, final HostQueue.Options options,
        final String subsystemNqn, final long nsid, final int ioQueues, final ReconnectPolicy policy)
    {
        if (ioQueues < 1)
        {
            throw new IllegalArgumentException("ioQueues must be >= 1: " + ioQueues);
        }
        final HostController controller = HostController.connect(address, options, subsystemNqn, ioQueues);
        try
        {
            return new RemoteNamespace(address, options, subsystemNqn, nsid, ioQueues, policy, controller);
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

    /**
     * @return completes, with the reason, when the current controller's admin connection closes: a
     *         lost connection, or a Keep Alive without an answer (the next call then reconnects).
     */
    public CompletableFuture<String> connectionLost()
    {
        return controller.admin().closedFuture();
    }

    /** @return how many times a lost controller was replaced by a new connection. */
    public long reconnects()
    {
        return reconnects.get();
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        if (confined(dst, offsetBytes, "read"))
        {
            try (Arena bounce = Arena.ofShared())
            {
                final MemorySegment shared = bounce.allocate(dst.byteSize(), blockSize);
                transfer(Opcodes.IO_READ, shared, offsetBytes, "read");
                dst.copyFrom(shared);
            }
            return dst.byteSize();
        }
        transfer(Opcodes.IO_READ, dst, offsetBytes, "read");
        return dst.byteSize();
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        if (confined(src, offsetBytes, "write"))
        {
            try (Arena bounce = Arena.ofShared())
            {
                transfer(Opcodes.IO_WRITE, bounce.allocate(src.byteSize(), blockSize).copyFrom(src), offsetBytes, "write");
            }
            return;
        }
        transfer(Opcodes.IO_WRITE, src, offsetBytes, "write");
    }

    /**
     * The queues' reading threads fill read buffers and send R2T-solicited write data, so memory
     * confined to the calling thread (a confined arena, as the object store uses) goes through a
     * shared bounce buffer; checked alignment and bounds first, so a bad transfer fails the same way.
     */
    private boolean confined(final MemorySegment buffer, final long offsetBytes, final String operation)
    {
        ensureOpen();
        IoAlignment.check(this, buffer, offsetBytes, operation);
        return !buffer.isAccessibleBy(OTHER_THREAD);
    }

    @Override
    public void flush()
    {
        ensureOpen();
        run("flush " + id, 1, (host, index) -> queue(host).submit(Sqes.plain(newSqe(), Opcodes.IO_FLUSH, nsid), null, false));
    }

    /**
     * Starts a read or write without waiting, for an asynchronous caller (the scheduler's
     * {@link NvmfBackend}): commands of at most MDTS bytes spread over the I/O queues of the current
     * controller, never resent. The future completes, on a queue's reading thread, with the length,
     * or exceptionally with a {@link ConduitException}: {@code NVME_COMMAND_FAILED} (domain NVME, the
     * first failed command's status), or {@code NVMF_CONNECTION_CLOSED} / {@code TIMED_OUT} when
     * the connection was lost (the caller then goes through the blocking {@link #read} / {@link #write},
     * which reconnect and resend). Alignment and range are checked before anything is sent.
     *
     * @param write       true for a write.
     * @param buffer      memory the queues' reading threads may access (shared or global scope).
     * @param offsetBytes the namespace offset.
     * @return the pending transfer.
     */
    public CompletableFuture<Long> submitTransfer(final boolean write, final MemorySegment buffer, final long offsetBytes)
    {
        ensureOpen();
        final String operation = write ? "write" : "read";
        IoAlignment.check(this, buffer, offsetBytes, operation);
        final int opcode = write ? Opcodes.IO_WRITE : Opcodes.IO_READ;
        final long lengthBytes = buffer.byteSize();
        final int pieces = (int)((lengthBytes + maxTransferBytes - 1) / maxTransferBytes);
        final HostController host = controller;
        final CompletableFuture<?>[] futures = new CompletableFuture<?>[pieces];
        for (int index = 0; index < pieces; index++)
        {
            final long doneBytes = (long)index * maxTransferBytes;
            final long pieceBytes = Math.min(maxTransferBytes, lengthBytes - doneBytes);
            final MemorySegment sqe = Sqes.readWrite(newSqe(), opcode, nsid, (offsetBytes + doneBytes) / blockSize, (int)(pieceBytes / blockSize));
            futures[index] = queue(host).submit(sqe, buffer.asSlice(doneBytes, pieceBytes), write)
                .orTimeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS)
                .thenApply(completion ->
                {
                    if (!completion.ok())
                    {
                        throw NvmeStatus.failure(completion.status(), operation + " " + id + " off=" + offsetBytes + " len=" + lengthBytes);
                    }
                    return completion;
                });
        }
        return CompletableFuture.allOf(futures).handle((ignored, failure) ->
        {
            if (failure == null)
            {
                return lengthBytes;
            }
            throw asConduit(failure, operation + " " + id + " off=" + offsetBytes + " len=" + lengthBytes);
        });
    }

    /**
     * @param failure what a transfer future completed with.
     * @return whether it was a lost connection (the blocking path reconnects and resends).
     */
    public static boolean lostConnection(final Throwable failure)
    {
        return isConnectionLoss(asConduit(failure, ""));
    }

    private static ConduitException asConduit(final Throwable failure, final String operation)
    {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        if (cause instanceof ConduitException conduit)
        {
            return conduit;
        }
        if (cause instanceof TimeoutException)
        {
            return new ConduitException(ErrorCode.TIMED_OUT, operation + ": no completion in time", cause);
        }
        return new ConduitException(ErrorCode.INTERNAL_ERROR, operation + " failed: " + cause, cause);
    }

    /** An {@link NvmfBackend} on this namespace: the scheduler's device for this remote controller. */
    @Override
    public Backend createBackend(final String deviceName, final int queueDepth)
    {
        return new NvmfBackend(deviceName, this, queueDepth);
    }

    /** @return the I/O queues each controller opens. */
    public int ioQueues()
    {
        return ioQueues;
    }

    /** @return the submission queue entries of each I/O queue. */
    public int queueEntries()
    {
        return options.queueEntries();
    }

    private void transfer(final int opcode, final MemorySegment buffer, final long offsetBytes, final String operation)
    {
        ensureOpen();
        IoAlignment.check(this, buffer, offsetBytes, operation);
        final long lengthBytes = buffer.byteSize();
        final int pieces = (int)((lengthBytes + maxTransferBytes - 1) / maxTransferBytes);
        run(operation + " " + id + " off=" + offsetBytes + " len=" + lengthBytes, pieces, (host, index) ->
        {
            final long doneBytes = (long)index * maxTransferBytes;
            final long pieceBytes = Math.min(maxTransferBytes, lengthBytes - doneBytes);
            final MemorySegment sqe = Sqes.readWrite(newSqe(), opcode, nsid, (offsetBytes + doneBytes) / blockSize, (int)(pieceBytes / blockSize));
            return queue(host).submit(sqe, buffer.asSlice(doneBytes, pieceBytes), opcode == Opcodes.IO_WRITE);
        });
    }

    /**
     * Sends every piece, waits for each, and resends on a new controller those whose connection was
     * lost. Every piece is settled (completed, or its controller dropped) before this returns or
     * throws, so no command still touches the caller's buffer afterwards.
     */
    private void run(final String operation, final int pieces, final Piece piece)
    {
        final boolean[] done = new boolean[pieces];
        HostController host = controller;
        for (int round = 0; ; round++)
        {
            final List<CompletableFuture<HostQueue.Completion>> futures = new ArrayList<>(pieces);
            for (int index = 0; index < pieces; index++)
            {
                futures.add(done[index] ? null : piece.submit(host, index));
            }
            RuntimeException failure = null;
            ConduitException lost = null;
            for (int index = 0; index < pieces; index++)
            {
                if (futures.get(index) == null)
                {
                    continue;
                }
                try
                {
                    final HostQueue.Completion completion = HostQueue.await(futures.get(index), operation, options.commandTimeoutMs());
                    done[index] = true;
                    if (!completion.ok() && failure == null)
                    {
                        failure = NvmeStatus.failure(completion.status(), operation);
                    }
                }
                catch (final ConduitException e)
                {
                    if (isConnectionLoss(e))
                    {
                        lost = lost == null ? e : lost;
                    }
                    else
                    {
                        failure = failure == null ? e : failure;
                    }
                }
            }
            if (lost == null)
            {
                if (failure != null)
                {
                    throw failure;
                }
                return;
            }
            if (failure != null || round >= Math.max(1, policy.attempts()))
            {
                host.abort();   // settles the abandoned pieces before the caller gets its buffer back
                throw failure != null ? failure : new ConduitException(ErrorCode.NVMF_RECONNECT_FAILED,
                    operation + ": connection lost again after " + round + " reconnects: " + lost.getMessage(), lost);
            }
            host = recover(host, lost, operation);
        }
    }

    private static boolean isConnectionLoss(final ConduitException e)
    {
        return e.code() == ErrorCode.NVMF_CONNECTION_CLOSED || e.code() == ErrorCode.TIMED_OUT;
    }

    /**
     * Replaces {@code failed} with a new controller, or returns the one another thread already
     * connected. Bounded by the policy; a failed round is reported to every caller that lost the
     * same controller within the longest back-off, so waiting threads do not each retry in turn.
     */
    private HostController recover(final HostController failed, final ConduitException cause, final String operation)
    {
        synchronized (reconnectLock)
        {
            failed.abort();
            if (controller != failed)
            {
                return controller;
            }
            ensureOpen();
            if (failedController == failed && System.nanoTime() - failedReconnectNs < TimeUnit.MILLISECONDS.toNanos(policy.maxBackoffMs()))
            {
                throw new ConduitException(ErrorCode.NVMF_RECONNECT_FAILED, operation + ": " + failedReconnect.getMessage(), failedReconnect);
            }
            final long startNs = System.nanoTime();
            long backoffMs = policy.initialBackoffMs();
            ConduitException last = cause;
            for (int attempt = 1; attempt <= policy.attempts(); attempt++)
            {
                pause(backoffMs);
                ensureOpen();
                try
                {
                    final HostController fresh = HostController.connect(address, options, subsystemNqn, ioQueues);
                    adopt(fresh);
                    LOG.log(System.Logger.Level.INFO, "nvmf: {0} reconnected (attempt {1}) after: {2}", id, attempt, cause.getMessage());
                    return fresh;
                }
                catch (final ConduitException e)
                {
                    if (!isConnectionLoss(e) && e.code() != ErrorCode.NVME_COMMAND_FAILED)
                    {
                        throw e;
                    }
                    last = e;   // refused or not listening yet: the target may be restarting
                }
                backoffMs = Math.min(Math.max(1, backoffMs * 2), policy.maxBackoffMs());
            }
            failedController = failed;
            failedReconnectNs = System.nanoTime();
            failedReconnect = new ConduitException(ErrorCode.NVMF_RECONNECT_FAILED, id + ": connection lost (" + cause.getMessage()
                + ") and " + policy.attempts() + " reconnect attempts over "
                + TimeUnit.NANOSECONDS.toMillis(failedReconnectNs - startNs) + " ms failed; last: " + last.getMessage(), last);
            throw failedReconnect;
        }
    }

    /** Checks that {@code fresh} serves the same namespace and makes it the controller. */
    private void adopt(final HostController fresh)
    {
        try
        {
            final Geometry geometry = geometry(fresh);
            if (geometry.blockSize() != blockSize || geometry.capacityBytes() != capacityBytes)
            {
                throw new ConduitException(ErrorCode.NVMF_RECONNECT_FAILED, id + ": after reconnect the namespace has "
                    + geometry.blockSize() + "-byte blocks and " + geometry.capacityBytes() + " bytes, was "
                    + blockSize + " and " + capacityBytes);
            }
            if (closed)
            {
                throw IoAlignment.closed(this);
            }
        }
        catch (final RuntimeException e)
        {
            fresh.abort();
            throw e;
        }
        controller = fresh;
        reconnects.incrementAndGet();
    }

    private static void pause(final long ms)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted waiting to reconnect", e);
        }
    }

    /** A heap SQE per call: {@link HostQueue#submit} copies it, so it needs no native memory or owner. */
    private static MemorySegment newSqe()
    {
        return MemorySegment.ofArray(new byte[64]);
    }

    private HostQueue queue(final HostController host)
    {
        return host.io(Math.floorMod(nextQueue.getAndIncrement(), ioQueues));
    }

    private void sendKeepAlive()
    {
        final HostController host = controller;
        if (closed)
        {
            return;
        }
        try
        {
            host.adminCommand(keepAliveSqe, null, "Keep Alive");
        }
        catch (final ConduitException e)
        {
            if (closed)
            {
                return;   // close() interrupted it
            }
            LOG.log(System.Logger.Level.WARNING, "nvmf: keep-alive to {0} failed: {1}", id, e.getMessage());
            if (isConnectionLoss(e))
            {
                // Commands waiting on a dead connection fail now and reconnect instead of waiting out their timeout.
                host.abort();
            }
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
            synchronized (reconnectLock)   // a reconnect in progress sees closed and stops
            {
                controller.close();
            }
        }
        finally
        {
            arena.close();
        }
    }
}
