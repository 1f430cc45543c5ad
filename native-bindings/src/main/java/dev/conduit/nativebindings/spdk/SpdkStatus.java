package dev.conduit.nativebindings.spdk;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;

/**
 * An NVMe completion status as SPDK reports it ({@code spdk_nvme_cpl.status_raw}: phase bit 0, SC
 * bits 1-8, SCT bits 9-11, DNR bit 15), and its mapping into Conduit's error model. The exception
 * keeps {@code (SCT << 8) | SC} as its native code in the {@link ErrorDomain#NVME} domain, so
 * nothing is lost in the mapping:
 *
 * <pre>
 *  generic  LBA out of range (0x80)                     OUT_OF_RANGE
 *  generic  capacity exceeded (0x81)                    NO_SPACE
 *  generic  namespace not ready (0x82)                  TRY_AGAIN
 *  generic  aborted by request / SQ deletion (0x07/08)  CANCELLED
 *  generic  data transfer / internal error (0x04/06)    IO_ERROR
 *  media and data integrity errors (SCT 2)              IO_ERROR
 *  path related (SCT 3)                                 NVMF_CONNECTION_CLOSED
 *  anything else                                        NVME_COMMAND_FAILED
 * </pre>
 */
public final class SpdkStatus
{
    /** {@code SPDK_NVME_SCT_GENERIC}. */
    public static final int SCT_GENERIC = 0;
    /** {@code SPDK_NVME_SCT_COMMAND_SPECIFIC}. */
    public static final int SCT_COMMAND_SPECIFIC = 1;
    /** {@code SPDK_NVME_SCT_MEDIA_ERROR}. */
    public static final int SCT_MEDIA_ERROR = 2;
    /** {@code SPDK_NVME_SCT_PATH}. */
    public static final int SCT_PATH = 3;
    /** {@code SPDK_NVME_SC_INVALID_FIELD}. */
    public static final int SC_INVALID_FIELD = 0x02;
    /** {@code SPDK_NVME_SC_DATA_TRANSFER_ERROR}. */
    public static final int SC_DATA_TRANSFER_ERROR = 0x04;
    /** {@code SPDK_NVME_SC_INTERNAL_DEVICE_ERROR}. */
    public static final int SC_INTERNAL_DEVICE_ERROR = 0x06;
    /** {@code SPDK_NVME_SC_ABORTED_BY_REQUEST}. */
    public static final int SC_ABORTED_BY_REQUEST = 0x07;
    /** {@code SPDK_NVME_SC_ABORTED_SQ_DELETION}: what SPDK completes a freed or failed queue pair's commands with. */
    public static final int SC_ABORTED_SQ_DELETION = 0x08;
    /** {@code SPDK_NVME_SC_LBA_OUT_OF_RANGE}. */
    public static final int SC_LBA_OUT_OF_RANGE = 0x80;
    /** {@code SPDK_NVME_SC_CAPACITY_EXCEEDED}. */
    public static final int SC_CAPACITY_EXCEEDED = 0x81;
    /** {@code SPDK_NVME_SC_NAMESPACE_NOT_READY}. */
    public static final int SC_NAMESPACE_NOT_READY = 0x82;

    private static final int DNR_BIT = 1 << 15;

    private SpdkStatus()
    {
    }

    /**
     * @param statusRaw {@code spdk_nvme_cpl.status_raw}.
     * @return {@code (SCT << 8) | SC}; 0 is success.
     */
    public static int code(final int statusRaw)
    {
        return (((statusRaw >>> 9) & 0x7) << 8) | ((statusRaw >>> 1) & 0xFF);
    }

    /**
     * @param statusRaw {@code spdk_nvme_cpl.status_raw}.
     * @return whether the controller said not to retry.
     */
    public static boolean doNotRetry(final int statusRaw)
    {
        return (statusRaw & DNR_BIT) != 0;
    }

    /**
     * @param code {@code (SCT << 8) | SC}, non-zero.
     * @return the Conduit code it maps to.
     */
    public static ErrorCode errorCode(final int code)
    {
        final int sct = code >>> 8;
        final int sc = code & 0xFF;
        if (sct == SCT_MEDIA_ERROR)
        {
            return ErrorCode.IO_ERROR;
        }
        if (sct == SCT_PATH)
        {
            return ErrorCode.NVMF_CONNECTION_CLOSED;
        }
        if (sct != SCT_GENERIC)
        {
            return ErrorCode.NVME_COMMAND_FAILED;
        }
        return switch (sc)
        {
            case SC_LBA_OUT_OF_RANGE -> ErrorCode.OUT_OF_RANGE;
            case SC_CAPACITY_EXCEEDED -> ErrorCode.NO_SPACE;
            case SC_NAMESPACE_NOT_READY -> ErrorCode.TRY_AGAIN;
            case SC_ABORTED_BY_REQUEST, SC_ABORTED_SQ_DELETION -> ErrorCode.CANCELLED;
            case SC_DATA_TRANSFER_ERROR, SC_INTERNAL_DEVICE_ERROR -> ErrorCode.IO_ERROR;
            default -> ErrorCode.NVME_COMMAND_FAILED;
        };
    }

    /**
     * @param statusRaw a failed command's {@code status_raw}.
     * @param command   what was submitted, for the message (e.g. {@code "read of 8 blocks at LBA 16"}).
     * @return the exception that reports it, in the NVME domain.
     */
    public static ConduitException failure(final int statusRaw, final String command)
    {
        final int code = code(statusRaw);
        return new ConduitException(errorCode(code), ErrorDomain.NVME, code, "NVME_SCT" + (code >>> 8) + "_SC0x" + Integer.toHexString(code & 0xFF),
            command + " failed: NVMe status SCT " + (code >>> 8) + " SC 0x" + Integer.toHexString(code & 0xFF)
                + (doNotRetry(statusRaw) ? " (do not retry)" : ""), null);
    }

    /** @return C enumerator to value, for the layout test. */
    static Map<String, Long> constants()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        out.put("SPDK_NVME_SCT_GENERIC", (long) SCT_GENERIC);
        out.put("SPDK_NVME_SCT_COMMAND_SPECIFIC", (long) SCT_COMMAND_SPECIFIC);
        out.put("SPDK_NVME_SCT_MEDIA_ERROR", (long) SCT_MEDIA_ERROR);
        out.put("SPDK_NVME_SCT_PATH", (long) SCT_PATH);
        out.put("SPDK_NVME_SC_INVALID_FIELD", (long) SC_INVALID_FIELD);
        out.put("SPDK_NVME_SC_DATA_TRANSFER_ERROR", (long) SC_DATA_TRANSFER_ERROR);
        out.put("SPDK_NVME_SC_INTERNAL_DEVICE_ERROR", (long) SC_INTERNAL_DEVICE_ERROR);
        out.put("SPDK_NVME_SC_ABORTED_BY_REQUEST", (long) SC_ABORTED_BY_REQUEST);
        out.put("SPDK_NVME_SC_ABORTED_SQ_DELETION", (long) SC_ABORTED_SQ_DELETION);
        out.put("SPDK_NVME_SC_LBA_OUT_OF_RANGE", (long) SC_LBA_OUT_OF_RANGE);
        out.put("SPDK_NVME_SC_CAPACITY_EXCEEDED", (long) SC_CAPACITY_EXCEEDED);
        out.put("SPDK_NVME_SC_NAMESPACE_NOT_READY", (long) SC_NAMESPACE_NOT_READY);
        return out;
    }
}
