package dev.conduit.nativebindings.dlpack;

/**
 * {@code DLDataType}: element type of a tensor.
 *
 * @param code  {@link #INT}, {@link #UINT}, {@link #FLOAT} or {@link #BFLOAT}.
 * @param bits  bits per lane (8, 16, 32, 64).
 * @param lanes lanes per element (1 for scalars).
 */
public record DlDataType(int code, int bits, int lanes)
{
    /** {@code kDLInt}. */
    public static final int INT = 0;
    /** {@code kDLUInt}. */
    public static final int UINT = 1;
    /** {@code kDLFloat}. */
    public static final int FLOAT = 2;
    /** {@code kDLBfloat}. */
    public static final int BFLOAT = 4;

    /** Bytes, the usual dtype of raw sample data. */
    public static final DlDataType UINT8 = new DlDataType(UINT, 8, 1);
    /** 32-bit floats. */
    public static final DlDataType FLOAT32 = new DlDataType(FLOAT, 32, 1);
    /** 16-bit floats. */
    public static final DlDataType FLOAT16 = new DlDataType(FLOAT, 16, 1);

    /**
     * @param code  the type code.
     * @param bits  bits per lane.
     * @param lanes lanes.
     */
    public DlDataType
    {
        if (code < 0 || code > 255 || bits <= 0 || bits > 255 || bits % 8 != 0 || lanes <= 0 || lanes > 65535)
        {
            throw new IllegalArgumentException("unsupported DLDataType code=" + code + " bits=" + bits + " lanes=" + lanes);
        }
    }

    /** @return bytes per element. */
    public long elementBytes()
    {
        return (long)bits / 8 * lanes;
    }
}
