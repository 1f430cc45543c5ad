package dev.conduit.core;

import static dev.conduit.core.ErrorCategory.CLIENT;
import static dev.conduit.core.ErrorCategory.FATAL;
import static dev.conduit.core.ErrorCategory.MEDIA;
import static dev.conduit.core.ErrorCategory.TRANSIENT;
import static dev.conduit.core.ErrorCategory.UNAVAILABLE;

/**
 * Every failure Conduit reports, with a stable numeric id (scripts, metrics and the
 * {@link IoResult} encoding key on it), a {@link ErrorCategory} and a short meaning. Ids are never
 * reused for another meaning; a retired code keeps its id reserved.
 *
 * <p>Native codes (errno, CUresult, CUfileOpError, NVMe status, HTTP) are mapped onto these by the
 * layer that knows them; the exception keeps the native {@link ErrorDomain} and code beside the
 * enum, so nothing is lost in the mapping.
 */
public enum ErrorCode
{
    // Client errors: 1..29
    /** A parameter is outside its valid range. */
    INVALID_ARGUMENT(1, CLIENT, "invalid argument"),
    /** No such key, file or object. */
    NOT_FOUND(2, CLIENT, "not found"),
    /** The thing to create exists already. */
    ALREADY_EXISTS(3, CLIENT, "already exists"),
    /** A key longer than the store allows (1280 UTF-8 bytes; S3 keys: 1024). */
    KEY_TOO_LONG(4, CLIENT, "key too long"),
    /** An empty key or one that is not valid UTF-8. */
    INVALID_KEY(5, CLIENT, "empty or malformed key"),
    /** User metadata over 8 KiB, or a content type over 255 bytes. */
    METADATA_TOO_LARGE(6, CLIENT, "metadata too large"),
    /** Fewer or more bytes arrived than announced. */
    SIZE_MISMATCH(7, CLIENT, "size differs from the announced size"),
    /** An offset, length or buffer address not aligned to what the target requires. */
    UNALIGNED_IO(8, CLIENT, "unaligned I/O"),
    /** An I/O outside the target's bounds. */
    OUT_OF_RANGE(9, CLIENT, "outside the target"),
    /** The operating system refused access. */
    PERMISSION_DENIED(10, CLIENT, "permission denied"),
    /** A path that should name a block device names something else. */
    NOT_A_BLOCK_DEVICE(11, CLIENT, "not a block device"),
    /** The data directory or device already holds a store. */
    ALREADY_FORMATTED(12, CLIENT, "already formatted"),
    /** Not a Conduit namespace, or a geometry the format cannot describe. */
    BAD_FORMAT(13, CLIENT, "not a Conduit store"),
    /** A Conduit structure with a version this build does not read. */
    UNSUPPORTED_VERSION(14, CLIENT, "unsupported format version"),
    /** A namespace that belongs to another store, or namespaces that do not form one store. */
    FOREIGN_NAMESPACE(15, CLIENT, "namespace of another store"),
    /** Memory of a kind (host, registered, device) the backend cannot serve. */
    MEMORY_KIND_UNSUPPORTED(16, CLIENT, "memory kind not served by this backend"),
    /** The data does not match the digest the caller supplied (MD5, CRC). */
    DIGEST_MISMATCH(17, CLIENT, "digest mismatch"),
    /** A configuration value is unknown or malformed. */
    CONFIG_INVALID(18, CLIENT, "invalid configuration"),
    /** The caller's memory was closed (its arena) before or while a request used it. */
    MEMORY_CLOSED(19, CLIENT, "memory closed"),
    /** The backend cannot register memory of this kind, or its registration table is full. */
    MEMORY_REGISTRATION_UNSUPPORTED(20, CLIENT, "memory cannot be registered here"),
    /** The request names a target that was detached from its device. */
    TARGET_DETACHED(21, CLIENT, "target detached"),
    /** A conditional operation's precondition did not hold (the key exists, or its version changed). */
    PRECONDITION_FAILED(22, CLIENT, "precondition failed"),
    /** An NVMe/TCP PDU broke the transport binding (bad length, field, digest or sequence). */
    NVMF_PROTOCOL_ERROR(23, CLIENT, "malformed NVMe/TCP PDU"),
    /** An NVMe controller completed a command with a non-zero status (domain NVME: SCT << 8 | SC). */
    NVME_COMMAND_FAILED(24, CLIENT, "NVMe command failed"),
    /** An NVMe transport id (SPDK's {@code trtype:TCP traddr:... subnqn:...} form) that does not parse. */
    NVME_TRANSPORT_ID_INVALID(25, CLIENT, "malformed NVMe transport id"),
    /** SPDK's environment is initialised once per process; a later request asked for other options. */
    SPDK_ENV_MISMATCH(26, CLIENT, "SPDK environment already initialised differently"),
    /** A tensor export (DLPack) whose shape, dtype or offset does not fit its buffer. */
    TENSOR_SHAPE_INVALID(28, CLIENT, "tensor does not fit its buffer"),
    /** A store manifest or format names a namespace {@code SCHEME://...} whose provider is not on the class path. */
    NAMESPACE_SCHEME_UNKNOWN(29, CLIENT, "no provider for the namespace scheme"),

    // Transient: 30..49
    /** The operating system asked to retry ({@code EAGAIN}, {@code EINTR}, {@code EBUSY}). */
    TRY_AGAIN(30, TRANSIENT, "try again"),
    /** A device ring was full and the caller asked not to wait. */
    RING_FULL(31, TRANSIENT, "ring full"),
    /** The request's deadline passed before it completed. */
    TIMED_OUT(32, TRANSIENT, "deadline passed"),
    /** The request was cancelled. */
    CANCELLED(33, TRANSIENT, "cancelled"),
    /** The calling thread was interrupted while waiting. */
    INTERRUPTED(34, TRANSIENT, "interrupted"),
    /** A cold-tier S3 request failed after its retries (5xx, throttling, timeout, reset). */
    COLD_TIER_FAILED(37, TRANSIENT, "cold tier request failed"),
    /** The write-back backlog is full; the write may be retried once uploads catch up. */
    WRITE_BACK_FULL(38, TRANSIENT, "write-back backlog full"),

    // Media: 50..69
    /** The device reported an I/O error. */
    IO_ERROR(50, MEDIA, "I/O error"),
    /** Object data failed its chunk checksum. */
    CORRUPT_EXTENT(51, MEDIA, "corrupt extent"),
    /** A metadata structure (superblock, journal, checkpoint, record) failed its checksum or bounds. */
    CORRUPT(52, MEDIA, "corrupt metadata"),
    /** A device returned fewer bytes than the range it holds. */
    SHORT_READ(53, MEDIA, "short read"),

    // Unavailable: 70..99
    /** Not enough free space. */
    NO_SPACE(70, UNAVAILABLE, "no space"),
    /** Not enough memory. */
    OUT_OF_MEMORY(71, UNAVAILABLE, "out of memory"),
    /** The operation is not supported here (kernel, library version, file system). */
    NOT_SUPPORTED(72, UNAVAILABLE, "not supported"),
    /** The file system refuses O_DIRECT. */
    DIRECT_IO_UNSUPPORTED(73, UNAVAILABLE, "O_DIRECT not supported"),
    /** The scheduler or a device shut down before the request ran. */
    SHUTDOWN(74, UNAVAILABLE, "shut down"),
    /** The store was closed. */
    STORE_CLOSED(75, UNAVAILABLE, "store closed"),
    /** The namespace was closed. */
    NAMESPACE_CLOSED(76, UNAVAILABLE, "namespace closed"),
    /** The scheduler was closed. */
    SCHEDULER_CLOSED(77, UNAVAILABLE, "scheduler closed"),
    /** The io_uring instance was closed. */
    IO_URING_CLOSED(78, UNAVAILABLE, "io_uring closed"),
    /** Another process holds the data directory. */
    STORE_LOCKED(79, UNAVAILABLE, "store locked by another process"),
    /** No usable GPU, or its driver is missing. */
    DEVICE_UNAVAILABLE(80, UNAVAILABLE, "device unavailable"),
    /** io_uring cannot be set up here (kernel, seccomp, sysctl). */
    IO_URING_UNAVAILABLE(81, UNAVAILABLE, "io_uring unavailable"),
    /** An external tool (fio, ...) is not installed. */
    TOOL_NOT_FOUND(82, UNAVAILABLE, "tool not found"),
    /** An external tool failed or printed what could not be read. */
    TOOL_FAILED(83, UNAVAILABLE, "tool failed"),
    /** The operating system failed a call for a reason with no closer code; see the native code. */
    SYSTEM_ERROR(84, UNAVAILABLE, "system call failed"),
    /** A CUDA or cuFile call failed; see the native code. */
    GPU_ERROR(85, UNAVAILABLE, "GPU call failed"),
    /** A server could not bind its address: another process holds the port. */
    ADDRESS_IN_USE(86, UNAVAILABLE, "address in use"),
    /** An NVMe/TCP connection closed (peer gone, keep-alive expired, termination request). */
    NVMF_CONNECTION_CLOSED(87, UNAVAILABLE, "NVMe/TCP connection closed"),
    /** An NVMe/TCP host lost its connection and could not reconnect within its bounded attempts. */
    NVMF_RECONNECT_FAILED(88, UNAVAILABLE, "NVMe/TCP reconnect failed"),
    /** The cold tier cannot be reached at all (connection refused, unknown host). */
    COLD_TIER_UNAVAILABLE(89, UNAVAILABLE, "cold tier unreachable"),
    /** The cold tier refused the request for good (credentials, missing bucket, denied). */
    COLD_TIER_REFUSED(90, UNAVAILABLE, "cold tier refused the request"),
    /** A forced GPU data path (path.mode) cannot run on this host; the message says why. */
    PATH_UNAVAILABLE(91, UNAVAILABLE, "data path unavailable on this host"),
    /** A read or write on a GPU data path failed in CUDA or cuFile (the message names the call). */
    GPU_IO_FAILED(92, UNAVAILABLE, "GPU data path I/O failed"),
    /** The cold tier did not answer within tier.requestTimeout on any attempt (it is up, but too slow). */
    COLD_TIER_TIMED_OUT(95, UNAVAILABLE, "cold tier timed out"),

    // Fatal: 100..119
    /** The journal could not be written; the store refuses writes until it is reopened. */
    STORE_FAILED(100, FATAL, "store failed; reopen it"),
    /** Requests in flight did not drain within the close timeout. */
    DRAIN_STALLED(101, FATAL, "in-flight I/O did not drain"),
    /** An invariant did not hold: a bug. */
    INTERNAL_ERROR(102, FATAL, "internal error"),
    /** A scheduler device's thread died; the device refuses work until the scheduler is relaunched. */
    DEVICE_FAILED(103, FATAL, "device failed");

    private static final ErrorCode[] BY_ID = new ErrorCode[128];

    static
    {
        for (final ErrorCode code : values())
        {
            if (BY_ID[code.id] != null)
            {
                throw new ExceptionInInitializerError("duplicate error code id " + code.id);
            }
            BY_ID[code.id] = code;
        }
    }

    private final int id;
    private final ErrorCategory category;
    private final String meaning;

    ErrorCode(final int id, final ErrorCategory category, final String meaning)
    {
        this.id = id;
        this.category = category;
        this.meaning = meaning;
    }

    /** @return the stable numeric id. */
    public int id()
    {
        return id;
    }

    /** @return how a caller should react. */
    public ErrorCategory category()
    {
        return category;
    }

    /** @return a short meaning, e.g. {@code "no space"}. */
    public String meaning()
    {
        return meaning;
    }

    /**
     * @param id a stable id.
     * @return its code, or {@code null} when no code has it (a newer peer's code).
     */
    public static ErrorCode ofId(final int id)
    {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
