package dev.conduit.nvmeof.command;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;

/**
 * NVMe completion status values as {@code (SCT << 8) | SC} (the form the NVME error domain and the
 * Linux kernel use), plus the DNR bit, and the conversion to and from the CQE's STATUS field.
 */
public final class NvmeStatus
{
    /** Successful completion. */
    public static final int SUCCESS = 0x000;
    /** Generic: Invalid Command Opcode. */
    public static final int INVALID_OPCODE = 0x001;
    /** Generic: Invalid Field in Command. */
    public static final int INVALID_FIELD = 0x002;
    /** Generic: Data Transfer Error. */
    public static final int DATA_TRANSFER_ERROR = 0x004;
    /** Generic: Internal Error. */
    public static final int INTERNAL_ERROR = 0x006;
    /** Generic: Invalid Namespace or Format. */
    public static final int INVALID_NAMESPACE = 0x00B;
    /** Generic: Command Sequence Error. */
    public static final int COMMAND_SEQUENCE_ERROR = 0x00C;
    /** Generic: Data SGL Length Invalid. */
    public static final int SGL_LENGTH_INVALID = 0x00F;
    /** Generic: SGL Descriptor Type Invalid. */
    public static final int SGL_TYPE_INVALID = 0x011;
    /** Generic: SGL Offset Invalid. */
    public static final int SGL_OFFSET_INVALID = 0x016;
    /** Generic: Transient Transport Error (a data digest mismatch). */
    public static final int TRANSIENT_TRANSPORT_ERROR = 0x022;
    /** Generic (I/O): LBA Out of Range. */
    public static final int LBA_OUT_OF_RANGE = 0x080;
    /** Command specific: Asynchronous Event Request Limit Exceeded. */
    public static final int AER_LIMIT_EXCEEDED = 0x105;
    /** Command specific: Invalid Log Page. */
    public static final int INVALID_LOG_PAGE = 0x109;
    /** Command specific: Feature Identifier Not Saveable. */
    public static final int FEATURE_NOT_SAVEABLE = 0x10D;
    /** Command specific (Connect): Incompatible Format. */
    public static final int CONNECT_INCOMPATIBLE_FORMAT = 0x180;
    /** Command specific (Connect): Controller Busy. */
    public static final int CONNECT_CONTROLLER_BUSY = 0x181;
    /** Command specific (Connect): Connect Invalid Parameters. */
    public static final int CONNECT_INVALID_PARAMETERS = 0x182;
    /** Command specific (Connect): Connect Invalid Host. */
    public static final int CONNECT_INVALID_HOST = 0x184;
    /** Do Not Retry, or-ed into a status value: retrying the same command cannot succeed. */
    public static final int DNR = 0x4000;

    private NvmeStatus()
    {
    }

    /**
     * @param status {@code (SCT << 8) | SC}, optionally with {@link #DNR}.
     * @return the CQE STATUS field (phase 0).
     */
    public static int toField(final int status)
    {
        final int sc = status & 0xFF;
        final int sct = (status >> 8) & 0x7;
        final int dnr = (status & DNR) != 0 ? 0x8000 : 0;
        return dnr | (sct << 9) | (sc << 1);
    }

    /**
     * @param field a CQE STATUS field.
     * @return {@code (SCT << 8) | SC}, with {@link #DNR} when set.
     */
    public static int fromField(final int field)
    {
        final int sc = (field >> 1) & 0xFF;
        final int sct = (field >> 9) & 0x7;
        return ((field & 0x8000) != 0 ? DNR : 0) | (sct << 8) | sc;
    }

    /** @return the status without DNR: {@code (SCT << 8) | SC}. */
    public static int code(final int status)
    {
        return status & 0x7FF;
    }

    /**
     * @param status  a non-zero status.
     * @param command what was submitted, for the message.
     * @return the exception that reports it: {@code NVME_COMMAND_FAILED} in the NVME domain.
     */
    public static ConduitException failure(final int status, final String command)
    {
        final int code = code(status);
        return new ConduitException(ErrorCode.NVME_COMMAND_FAILED, ErrorDomain.NVME, code, name(code),
            command + " failed: NVMe status SCT " + (code >> 8) + " SC 0x" + Integer.toHexString(code & 0xFF)
                + ((status & DNR) != 0 ? " (do not retry)" : ""), null);
    }

    /** @return a symbolic name for a status ({@code LBA_OUT_OF_RANGE}), or {@code NVME_0x...}. */
    public static String name(final int status)
    {
        return switch (code(status))
        {
            case SUCCESS -> "SUCCESS";
            case INVALID_OPCODE -> "INVALID_OPCODE";
            case INVALID_FIELD -> "INVALID_FIELD";
            case DATA_TRANSFER_ERROR -> "DATA_TRANSFER_ERROR";
            case INTERNAL_ERROR -> "INTERNAL_ERROR";
            case INVALID_NAMESPACE -> "INVALID_NAMESPACE";
            case COMMAND_SEQUENCE_ERROR -> "COMMAND_SEQUENCE_ERROR";
            case SGL_LENGTH_INVALID -> "SGL_LENGTH_INVALID";
            case SGL_TYPE_INVALID -> "SGL_TYPE_INVALID";
            case SGL_OFFSET_INVALID -> "SGL_OFFSET_INVALID";
            case TRANSIENT_TRANSPORT_ERROR -> "TRANSIENT_TRANSPORT_ERROR";
            case LBA_OUT_OF_RANGE -> "LBA_OUT_OF_RANGE";
            case AER_LIMIT_EXCEEDED -> "AER_LIMIT_EXCEEDED";
            case INVALID_LOG_PAGE -> "INVALID_LOG_PAGE";
            case FEATURE_NOT_SAVEABLE -> "FEATURE_NOT_SAVEABLE";
            case CONNECT_INCOMPATIBLE_FORMAT -> "CONNECT_INCOMPATIBLE_FORMAT";
            case CONNECT_CONTROLLER_BUSY -> "CONNECT_CONTROLLER_BUSY";
            case CONNECT_INVALID_PARAMETERS -> "CONNECT_INVALID_PARAMETERS";
            case CONNECT_INVALID_HOST -> "CONNECT_INVALID_HOST";
            default -> "NVME_0x" + Integer.toHexString(code(status));
        };
    }
}
