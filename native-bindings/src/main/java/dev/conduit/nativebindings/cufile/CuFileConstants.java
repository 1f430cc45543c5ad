package dev.conduit.nativebindings.cufile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The remaining cuFile constants: handle types, batch mode and opcodes, buffer- and
 * stream-registration flags, and {@link #constants()}, every named value these bindings declare
 * (checked against the transcribed header by the layout test).
 */
public final class CuFileConstants
{
    /** {@code CU_FILE_HANDLE_TYPE_OPAQUE_FD}: a Linux file descriptor. */
    public static final int HANDLE_TYPE_OPAQUE_FD = 1;
    /** {@code CUFILE_BATCH}: the only batch mode. */
    public static final int BATCH_MODE = 1;
    /** {@code CUFILE_READ}. */
    public static final int OPCODE_READ = 0;
    /** {@code CUFILE_WRITE}. */
    public static final int OPCODE_WRITE = 1;
    /** {@code cuFileBufRegister} flag: register for RDMA. */
    public static final int RDMA_REGISTER = 1;
    /** {@code cuFileBufRegister} flag: relaxed ordering for RDMA. */
    public static final int RDMA_RELAXED_ORDERING = 2;
    /** {@code cuFileStreamRegister}: the buffer offset is known at submission. */
    public static final int STREAM_FIXED_BUF_OFFSET = 1;
    /** {@code cuFileStreamRegister}: the file offset is known at submission. */
    public static final int STREAM_FIXED_FILE_OFFSET = 2;
    /** {@code cuFileStreamRegister}: the size is known at submission. */
    public static final int STREAM_FIXED_FILE_SIZE = 4;
    /** {@code cuFileStreamRegister}: every input is 4 KiB aligned. */
    public static final int STREAM_PAGE_ALIGNED_INPUTS = 8;
    /** All four stream flags: everything known and aligned at submission (the fastest mode). */
    public static final int STREAM_ALL_FIXED = 0xF;

    private CuFileConstants()
    {
    }

    /** @return C name to value for every cuFile constant and enumerator these bindings declare. */
    public static Map<String, Long> constants()
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("CUFILEOP_BASE_ERR", (long)CuFileError.BASE);
        CuFileError.known().forEach((name, value) -> m.put(name, value.longValue()));
        m.put("CU_FILE_HANDLE_TYPE_OPAQUE_FD", (long)HANDLE_TYPE_OPAQUE_FD);
        m.put("CUFILE_BATCH", (long)BATCH_MODE);
        m.put("CUFILE_READ", (long)OPCODE_READ);
        m.put("CUFILE_WRITE", (long)OPCODE_WRITE);
        m.put("CU_FILE_RDMA_REGISTER", (long)RDMA_REGISTER);
        m.put("CU_FILE_RDMA_RELAXED_ORDERING", (long)RDMA_RELAXED_ORDERING);
        m.put("CU_FILE_STREAM_FIXED_BUF_OFFSET", (long)STREAM_FIXED_BUF_OFFSET);
        m.put("CU_FILE_STREAM_FIXED_FILE_OFFSET", (long)STREAM_FIXED_FILE_OFFSET);
        m.put("CU_FILE_STREAM_FIXED_FILE_SIZE", (long)STREAM_FIXED_FILE_SIZE);
        m.put("CU_FILE_STREAM_PAGE_ALIGNED_INPUTS", (long)STREAM_PAGE_ALIGNED_INPUTS);
        for (final CuFileBatchStatus s : CuFileBatchStatus.values())
        {
            m.put(s.cName(), (long)s.mask());
        }
        for (final CuFileDriverStatusFlag f : CuFileDriverStatusFlag.values())
        {
            m.put(f.cName(), (long)f.bit());
        }
        for (final CuFileControlFlag f : CuFileControlFlag.values())
        {
            m.put(f.cName(), (long)f.bit());
        }
        for (final CuFileFeatureFlag f : CuFileFeatureFlag.values())
        {
            m.put(f.cName(), (long)f.bit());
        }
        for (final CuFileSizeParameter p : CuFileSizeParameter.values())
        {
            m.put(p.cName(), (long)p.value());
        }
        for (final CuFileBoolParameter p : CuFileBoolParameter.values())
        {
            m.put(p.cName(), (long)p.value());
        }
        for (final CuFileStringParameter p : CuFileStringParameter.values())
        {
            m.put(p.cName(), (long)p.value());
        }
        return m;
    }
}
