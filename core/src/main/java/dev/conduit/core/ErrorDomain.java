package dev.conduit.core;

/**
 * Where a native code comes from, so that {@code (domain, code)} names a failure exactly: errno 2 and
 * CUresult 2 mean different things. Ids are stable: they are part of the {@link IoResult} encoding.
 */
public enum ErrorDomain
{
    /** A Linux errno, positive ({@code EIO} = 5). Id 0, so that a kernel's {@code -errno} is already an {@link IoResult}. */
    ERRNO(0),
    /** Conduit's own outcome: the code is an {@link ErrorCode#id()}. */
    CONDUIT(1),
    /** A CUDA driver {@code CUresult} or runtime {@code cudaError_t}. */
    CUDA(2),
    /** A cuFile {@code CUfileOpError}. */
    CUFILE(3),
    /** An NVMe completion status: {@code (SCT << 8) | SC}. */
    NVME(4),
    /** An HTTP status code. */
    HTTP(5),
    /** No native code: the failure is Conduit's own and {@link ErrorCode} says everything. */
    NONE(15);

    private static final ErrorDomain[] BY_ID = new ErrorDomain[16];

    static
    {
        for (final ErrorDomain domain : values())
        {
            BY_ID[domain.id] = domain;
        }
    }

    private final int id;

    ErrorDomain(final int id)
    {
        this.id = id;
    }

    /** @return the stable id, 0..15. */
    public int id()
    {
        return id;
    }

    /**
     * @param id a stable id.
     * @return its domain.
     * @throws IllegalArgumentException for an id no domain has.
     */
    public static ErrorDomain ofId(final int id)
    {
        final ErrorDomain domain = id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
        if (domain == null)
        {
            throw new IllegalArgumentException("no error domain has id " + id);
        }
        return domain;
    }
}
