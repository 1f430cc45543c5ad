package dev.conduit.nativebindings.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.dynlib.CStrings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An NVMe controller attached through SPDK ({@code spdk_nvme_connect}): PCIe behind vfio, or a
 * fabric (TCP, RDMA). Owns its queue pairs; {@link #close()} frees every one still open (SPDK
 * completes their outstanding commands as aborted first) and then detaches.
 *
 * <pre>{@code
 * try (SpdkController c = SpdkController.connect(env, "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:4420 subnqn:nqn.x"))
 * {
 *     SpdkNamespaceInfo ns = c.namespace(1);
 *     SpdkQueuePair qp = c.allocateQueuePair(128, 256, (tag, status) -> ...);
 * }
 * }</pre>
 *
 * <p>Threading: connect, allocate and close from one thread; each queue pair then belongs to the
 * thread that polls it.
 */
public final class SpdkController implements AutoCloseable
{
    private final SpdkEnvironment environment;
    private final SpdkLibrary library;
    private final MemorySegment ctrlr;
    private final String transportId;
    private final List<SpdkQueuePair> queuePairs = new ArrayList<>();
    private boolean closed;

    private SpdkController(final SpdkEnvironment environment, final MemorySegment ctrlr, final String transportId)
    {
        this.environment = environment;
        this.library = environment.library();
        this.ctrlr = ctrlr;
        this.transportId = transportId;
    }

    /**
     * Parses a transport id in SPDK's form ({@code key:value} pairs separated by spaces).
     *
     * @param library     the loaded SPDK.
     * @param transportId e.g. {@code trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:4420 subnqn:nqn...}.
     * @param arena       where the parsed {@code struct spdk_nvme_transport_id} lives.
     * @return the parsed struct.
     * @throws ConduitException {@code NVME_TRANSPORT_ID_INVALID} when SPDK rejects it.
     */
    public static MemorySegment parseTransportId(final SpdkLibrary library, final String transportId, final Arena arena)
    {
        final MemorySegment trid = arena.allocate(SpdkLayouts.TRANSPORT_ID);
        final int rc = library.transportIdParse(trid, arena.allocateFrom(transportId));
        if (rc != 0)
        {
            throw new ConduitException(ErrorCode.NVME_TRANSPORT_ID_INVALID, ErrorDomain.ERRNO, -rc, Errno.name(-rc),
                "spdk_nvme_transport_id_parse rejected \"" + transportId + "\" (" + rc + ")", null);
        }
        return trid;
    }

    /**
     * @param environment the initialised SPDK environment.
     * @param transportId SPDK's transport id string.
     * @return the connected controller.
     * @throws ConduitException {@code NVME_TRANSPORT_ID_INVALID} for a malformed id, {@code NOT_FOUND}
     *                          when no controller answers there.
     */
    public static SpdkController connect(final SpdkEnvironment environment, final String transportId)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment trid = parseTransportId(environment.library(), transportId, arena);
            final MemorySegment opts = arena.allocate(SpdkLayouts.CTRLR_OPTS_SIZE, 8);
            environment.library().defaultControllerOptions(opts);
            final String hostNqn = hostNqn(transportId);
            if (hostNqn != null)
            {
                // SPDK's transport id parser skips hostnqn: the application puts it in the controller options.
                final byte[] bytes = hostNqn.getBytes(StandardCharsets.US_ASCII);
                if (bytes.length >= SpdkLayouts.CTRLR_OPTS_HOSTNQN_BYTES)
                {
                    throw new ConduitException(ErrorCode.NVME_TRANSPORT_ID_INVALID, "hostnqn longer than "
                        + (SpdkLayouts.CTRLR_OPTS_HOSTNQN_BYTES - 1) + " bytes in \"" + transportId + "\"");
                }
                opts.asSlice(SpdkLayouts.CTRLR_OPTS_HOSTNQN, SpdkLayouts.CTRLR_OPTS_HOSTNQN_BYTES).fill((byte) 0)
                    .copyFrom(MemorySegment.ofArray(bytes));
            }
            final MemorySegment ctrlr = environment.library().connect(trid, opts);
            if (ctrlr.equals(MemorySegment.NULL))
            {
                throw new ConduitException(ErrorCode.NOT_FOUND, "spdk_nvme_connect: no NVMe controller answered at \"" + transportId
                    + "\" (is the target listening, the subsystem NQN right, and for PCIe the device bound to vfio?)");
            }
            return new SpdkController(environment, ctrlr, transportId);
        }
    }

    /**
     * @param transportId SPDK's transport id string.
     * @return the value of its {@code hostnqn} key, or null.
     */
    static String hostNqn(final String transportId)
    {
        for (final String pair : transportId.trim().split("\\s+"))
        {
            // Keys end at the first ':' or '=', as spdk_nvme_transport_id_parse reads them.
            int split = 0;
            while (split < pair.length() && pair.charAt(split) != ':' && pair.charAt(split) != '=')
            {
                split++;
            }
            if (split < pair.length() && pair.substring(0, split).equalsIgnoreCase("hostnqn"))
            {
                return pair.substring(split + 1);
            }
        }
        return null;
    }

    /** @return the address of SPDK's {@code struct spdk_nvme_ctrlr}. */
    long address()
    {
        return ctrlr.address();
    }

    /** @return the transport id it was connected with. */
    public String transportId()
    {
        return transportId;
    }

    /** @return the environment it runs in. */
    public SpdkEnvironment environment()
    {
        return environment;
    }

    /** @return what the controller's Identify data says about it. */
    public SpdkControllerIdentity identity()
    {
        checkOpen();
        final MemorySegment data = library.controllerData(ctrlr);
        return new SpdkControllerIdentity(
            Short.toUnsignedInt(data.get(JAVA_SHORT, SpdkLayouts.CTRLR_DATA_VID)),
            ascii(data, SpdkLayouts.CTRLR_DATA_SN, 20),
            ascii(data, SpdkLayouts.CTRLR_DATA_MN, 40),
            ascii(data, SpdkLayouts.CTRLR_DATA_FR, 8),
            CStrings.fromBuffer(data.asSlice(SpdkLayouts.CTRLR_DATA_SUBNQN, 256)),
            data.get(JAVA_INT, SpdkLayouts.CTRLR_DATA_NN),
            library.namespaceCount(ctrlr));
    }

    /**
     * @param nsid a namespace id (1-based).
     * @return the namespace.
     * @throws ConduitException {@code NOT_FOUND} when it does not exist or is inactive.
     */
    public SpdkNamespaceInfo namespace(final int nsid)
    {
        checkOpen();
        final MemorySegment ns = nsid < 1 ? MemorySegment.NULL : library.namespace(ctrlr, nsid);
        if (ns.equals(MemorySegment.NULL) || !library.namespaceActive(ns))
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "namespace " + nsid + " is not active on " + transportId
                + " (the controller reports " + library.namespaceCount(ctrlr) + " namespace ids)");
        }
        return new SpdkNamespaceInfo(ns, nsid, library.sectorSize(ns), library.sectorCount(ns));
    }

    /**
     * @param queueSize     entries of the NVMe submission queue ({@code io_queue_size}).
     * @param queueRequests requests SPDK may hold for it ({@code io_queue_requests}; also the tag space).
     * @param completions   receives every completion, on the polling thread.
     * @return the queue pair.
     * @throws ConduitException {@code OUT_OF_MEMORY} when SPDK cannot allocate it.
     */
    public synchronized SpdkQueuePair allocateQueuePair(final int queueSize, final int queueRequests,
        final SpdkQueuePair.Completions completions)
    {
        checkOpen();
        if (queueSize < 2 || queueRequests < queueSize)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT,
                "queue pair of " + queueSize + " entries and " + queueRequests + " requests (need 2 <= size <= requests)");
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment opts = arena.allocate(SpdkLayouts.IO_QPAIR_OPTS);
            library.defaultQueuePairOptions(ctrlr, opts);
            opts.set(JAVA_INT, SpdkLayouts.QPAIR_OPTS_IO_QUEUE_SIZE, queueSize);
            opts.set(JAVA_INT, SpdkLayouts.QPAIR_OPTS_IO_QUEUE_REQUESTS, queueRequests);
            final MemorySegment qpair = library.allocQueuePair(ctrlr, opts);
            if (qpair.equals(MemorySegment.NULL))
            {
                throw new ConduitException(ErrorCode.OUT_OF_MEMORY, "spdk_nvme_ctrlr_alloc_io_qpair(" + queueSize + ", " + queueRequests
                    + ") failed on " + transportId + " (controller out of queues, or the environment out of memory)");
            }
            final SpdkQueuePair pair = new SpdkQueuePair(this, qpair, queueRequests, completions);
            queuePairs.add(pair);
            return pair;
        }
    }

    /** Called by a queue pair that freed itself. */
    synchronized void forget(final SpdkQueuePair pair)
    {
        queuePairs.remove(pair);
    }

    SpdkLibrary library()
    {
        return library;
    }

    /** Frees the queue pairs still open (their outstanding commands complete as aborted), then detaches. */
    @Override
    public void close()
    {
        final List<SpdkQueuePair> open;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            open = new ArrayList<>(queuePairs);
        }
        for (final SpdkQueuePair pair : open)
        {
            pair.close();
        }
        final int rc = library.detach(ctrlr);
        if (rc != 0)
        {
            throw new ConduitException(ErrorCode.SYSTEM_ERROR, ErrorDomain.ERRNO, -rc, Errno.name(-rc),
                "spdk_nvme_detach(" + transportId + ") failed: " + rc, null);
        }
    }

    private synchronized void checkOpen()
    {
        if (closed)
        {
            throw new ConduitException(ErrorCode.NAMESPACE_CLOSED, "SPDK controller " + transportId + " is detached");
        }
    }

    private static String ascii(final MemorySegment data, final long offset, final int length)
    {
        final byte[] bytes = data.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == ' ' || bytes[end - 1] == 0))
        {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
