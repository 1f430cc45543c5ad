package dev.conduit.nvmeof.command;

/**
 * Opcodes of the commands this package speaks: admin, NVM I/O, and the fabrics command types
 * (FCTYPE of opcode 0x7F).
 */
public final class Opcodes
{
    /** Fabrics command (any queue); FCTYPE says which. */
    public static final int FABRICS = 0x7F;
    /** FCTYPE: Property Set. */
    public static final int FCTYPE_PROPERTY_SET = 0x00;
    /** FCTYPE: Connect. */
    public static final int FCTYPE_CONNECT = 0x01;
    /** FCTYPE: Property Get. */
    public static final int FCTYPE_PROPERTY_GET = 0x04;
    /** FCTYPE: Disconnect. */
    public static final int FCTYPE_DISCONNECT = 0x08;

    /** Admin: Get Log Page. */
    public static final int ADMIN_GET_LOG_PAGE = 0x02;
    /** Admin: Identify. */
    public static final int ADMIN_IDENTIFY = 0x06;
    /** Admin: Abort. */
    public static final int ADMIN_ABORT = 0x08;
    /** Admin: Set Features. */
    public static final int ADMIN_SET_FEATURES = 0x09;
    /** Admin: Get Features. */
    public static final int ADMIN_GET_FEATURES = 0x0A;
    /** Admin: Asynchronous Event Request. */
    public static final int ADMIN_ASYNC_EVENT = 0x0C;
    /** Admin: Keep Alive. */
    public static final int ADMIN_KEEP_ALIVE = 0x18;

    /** NVM: Flush. */
    public static final int IO_FLUSH = 0x00;
    /** NVM: Write. */
    public static final int IO_WRITE = 0x01;
    /** NVM: Read. */
    public static final int IO_READ = 0x02;
    /** NVM: Write Zeroes. */
    public static final int IO_WRITE_ZEROES = 0x08;
    /** NVM: Dataset Management. */
    public static final int IO_DATASET_MANAGEMENT = 0x09;

    /** Property offset: CAP (8 bytes). */
    public static final int PROP_CAP = 0x00;
    /** Property offset: VS. */
    public static final int PROP_VS = 0x08;
    /** Property offset: CC. */
    public static final int PROP_CC = 0x14;
    /** Property offset: CSTS. */
    public static final int PROP_CSTS = 0x1C;

    /** Feature: Number of Queues. */
    public static final int FEATURE_NUMBER_OF_QUEUES = 0x07;
    /** Feature: Asynchronous Event Configuration. */
    public static final int FEATURE_ASYNC_EVENT_CONFIG = 0x0B;
    /** Feature: Keep Alive Timer. */
    public static final int FEATURE_KEEP_ALIVE_TIMER = 0x0F;

    private Opcodes()
    {
    }

    /**
     * @param opcode an opcode.
     * @return whether the command moves data from host to controller (bit 0 of the opcode).
     */
    public static boolean hostToController(final int opcode)
    {
        return (opcode & 0x01) != 0;
    }

    /**
     * @param opcode an opcode.
     * @return whether the command moves data from controller to host (bit 1 of the opcode).
     */
    public static boolean controllerToHost(final int opcode)
    {
        return (opcode & 0x02) != 0;
    }
}
