package dev.conduit.nvmeof.target;

import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * The fabrics commands (opcode 0x7F): Connect (admin queue: a new controller; I/O queue: a queue
 * of an existing one), Property Get/Set (CAP, VS, CC, CSTS, with the enable/ready and shutdown
 * handshakes) and Disconnect.
 *
 * <p>Threading: the reading thread of the connection the command arrived on.
 */
final class FabricsHandler
{
    /** VS: NVMe 1.3, the level whose admin commands this target implements. */
    static final int VERSION = 0x0001_0300;
    /** Connect response IATTR: the invalid parameter is in the Connect data (bits 23:16 = 1). */
    private static final int IATTR_DATA = 1 << 16;
    private static final int CC_EN = 0x1;
    private static final int CC_SHN_SHIFT = 14;
    private static final int CSTS_SHST_MASK = 0xC;

    private FabricsHandler()
    {
    }

    static int execute(final QueueConnection queue, final Command command, final MemorySegment rx, final int dataOffset, final int dataBytes)
    {
        final int fctype = Wire.u8(command.sqe, SqeDescriptor.FCTYPE_OFFSET);
        return switch (fctype)
        {
            case Opcodes.FCTYPE_CONNECT -> connect(queue, command, rx, dataOffset, dataBytes);
            case Opcodes.FCTYPE_PROPERTY_GET -> propertyGet(queue, command);
            case Opcodes.FCTYPE_PROPERTY_SET -> propertySet(queue, command);
            case Opcodes.FCTYPE_DISCONNECT -> queue.controller() == null ? NvmeStatus.COMMAND_SEQUENCE_ERROR | NvmeStatus.DNR : NvmeStatus.SUCCESS;
            default -> NvmeStatus.INVALID_OPCODE | NvmeStatus.DNR;
        };
    }

    private static int connect(final QueueConnection queue, final Command command, final MemorySegment rx, final int dataOffset, final int dataBytes)
    {
        final MemorySegment sqe = command.sqe;
        if (queue.controller() != null)
        {
            return NvmeStatus.COMMAND_SEQUENCE_ERROR | NvmeStatus.DNR;
        }
        if (Wire.u16(sqe, SqeDescriptor.CONNECT_RECFMT_OFFSET) != 0)
        {
            return NvmeStatus.CONNECT_INCOMPATIBLE_FORMAT | NvmeStatus.DNR;
        }
        if (command.sglType() != SqeDescriptor.SGL_TYPE_IN_CAPSULE || command.sglLength() != SqeDescriptor.CONNECT_DATA_LENGTH
            || dataBytes != SqeDescriptor.CONNECT_DATA_LENGTH)
        {
            return NvmeStatus.SGL_LENGTH_INVALID | NvmeStatus.DNR;
        }
        final int qid = Wire.u16(sqe, SqeDescriptor.CONNECT_QID_OFFSET);
        final int sqSize = Wire.u16(sqe, SqeDescriptor.CONNECT_SQSIZE_OFFSET);
        final boolean disableSqFlow = (Wire.u8(sqe, SqeDescriptor.CONNECT_CATTR_OFFSET) & 0x04) != 0;
        final long katoMs = Wire.u32(sqe, SqeDescriptor.CONNECT_KATO_OFFSET);
        final NvmfTargetConfig config = queue.config();
        if (sqSize == 0 || sqSize + 1 > config.maxQueueEntries())
        {
            command.result = SqeDescriptor.CONNECT_SQSIZE_OFFSET;
            return NvmeStatus.CONNECT_INVALID_PARAMETERS | NvmeStatus.DNR;
        }
        final int cntlid = Wire.u16(rx, dataOffset + SqeDescriptor.CONNECT_DATA_CNTLID_OFFSET);
        final String subNqn = Wire.ascii(rx, dataOffset + SqeDescriptor.CONNECT_DATA_SUBNQN_OFFSET, SqeDescriptor.NQN_LENGTH);
        final String hostNqn = Wire.ascii(rx, dataOffset + SqeDescriptor.CONNECT_DATA_HOSTNQN_OFFSET, SqeDescriptor.NQN_LENGTH);
        final NvmfTarget target = queue.target();
        final boolean discovery = Subsystem.DISCOVERY_NQN.equals(subNqn);
        final Subsystem subsystem = discovery ? null : target.subsystem(subNqn);
        if (!discovery && subsystem == null)
        {
            command.result = IATTR_DATA | SqeDescriptor.CONNECT_DATA_SUBNQN_OFFSET;
            return NvmeStatus.CONNECT_INVALID_PARAMETERS | NvmeStatus.DNR;
        }
        if (hostNqn.isEmpty() || (subsystem != null && !subsystem.allows(hostNqn)))
        {
            command.result = IATTR_DATA | SqeDescriptor.CONNECT_DATA_HOSTNQN_OFFSET;
            return NvmeStatus.CONNECT_INVALID_HOST | NvmeStatus.DNR;
        }
        if (qid == 0)
        {
            if (cntlid != 0xFFFF && cntlid != 0xFFFE)
            {
                command.result = IATTR_DATA | SqeDescriptor.CONNECT_DATA_CNTLID_OFFSET;
                return NvmeStatus.CONNECT_INVALID_PARAMETERS | NvmeStatus.DNR;
            }
            final Controller controller = target.newController(subsystem, hostNqn, queue);
            if (controller == null)
            {
                return NvmeStatus.CONNECT_CONTROLLER_BUSY;
            }
            queue.attach(controller, 0, sqSize + 1, disableSqFlow);
            controller.keepAliveTimeout(katoMs);
            command.result = controller.cntlid();
            return NvmeStatus.SUCCESS;
        }
        final Controller controller = target.controller(cntlid);
        if (controller == null || controller.discovery() || controller.subsystem() != subsystem || !controller.hostNqn().equals(hostNqn))
        {
            command.result = IATTR_DATA | SqeDescriptor.CONNECT_DATA_CNTLID_OFFSET;
            return NvmeStatus.CONNECT_INVALID_PARAMETERS | NvmeStatus.DNR;
        }
        if ((controller.csts & Controller.CSTS_RDY) == 0)
        {
            return NvmeStatus.COMMAND_SEQUENCE_ERROR | NvmeStatus.DNR;
        }
        if (qid > controller.ioQueuesGranted || !controller.addIoQueue(qid, queue))
        {
            command.result = SqeDescriptor.CONNECT_QID_OFFSET;
            return NvmeStatus.CONNECT_INVALID_PARAMETERS | NvmeStatus.DNR;
        }
        queue.attach(controller, qid, sqSize + 1, disableSqFlow);
        command.result = controller.cntlid();
        return NvmeStatus.SUCCESS;
    }

    private static int propertyGet(final QueueConnection queue, final Command command)
    {
        final Controller controller = queue.controller();
        if (controller == null || queue.qid() != 0)
        {
            return NvmeStatus.COMMAND_SEQUENCE_ERROR | NvmeStatus.DNR;
        }
        final int offset = command.cdw(SqeDescriptor.PROPERTY_OFFSET_OFFSET);
        switch (offset)
        {
            case Opcodes.PROP_CAP -> command.result = capabilities(queue.config());
            case Opcodes.PROP_VS -> command.result = VERSION;
            case Opcodes.PROP_CC -> command.result = controller.cc & 0xFFFF_FFFFL;
            case Opcodes.PROP_CSTS -> command.result = controller.csts & 0xFFFF_FFFFL;
            default ->
            {
                return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
            }
        }
        return NvmeStatus.SUCCESS;
    }

    /**
     * CAP: MQES, CQR (contiguous queues required), TO = 7.5 s, CSS = NVM command set, MPSMIN = MPSMAX = 4 KiB.
     */
    static long capabilities(final NvmfTargetConfig config)
    {
        return (config.maxQueueEntries() - 1) | (1L << 16) | (15L << 24) | (1L << 37);
    }

    private static int propertySet(final QueueConnection queue, final Command command)
    {
        final Controller controller = queue.controller();
        if (controller == null || queue.qid() != 0)
        {
            return NvmeStatus.COMMAND_SEQUENCE_ERROR | NvmeStatus.DNR;
        }
        if (command.cdw(SqeDescriptor.PROPERTY_OFFSET_OFFSET) != Opcodes.PROP_CC)
        {
            return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
        }
        setConfiguration(controller, (int)Wire.u64(command.sqe, SqeDescriptor.PROPERTY_VALUE_OFFSET));
        return NvmeStatus.SUCCESS;
    }

    private static void setConfiguration(final Controller controller, final int value)
    {
        final int old = controller.cc;
        controller.cc = value;
        final boolean enable = (value & CC_EN) != 0;
        final boolean wasEnabled = (old & CC_EN) != 0;
        int csts = controller.csts;
        if (enable && !wasEnabled)
        {
            csts = validConfiguration(controller, value) ? csts | Controller.CSTS_RDY : csts | Controller.CSTS_CFS;
        }
        else if (!enable && wasEnabled)
        {
            csts &= ~(Controller.CSTS_RDY | Controller.CSTS_CFS);
        }
        final int shutdown = (value >>> CC_SHN_SHIFT) & 0x3;
        if (shutdown != 0)
        {
            // Shutdown: make every completed write durable before reporting it complete.
            flushAll(controller.subsystem());
            csts = (csts & ~CSTS_SHST_MASK) | Controller.CSTS_SHST_COMPLETE;
        }
        else
        {
            csts &= ~CSTS_SHST_MASK;
        }
        controller.csts = csts;
    }

    private static boolean validConfiguration(final Controller controller, final int cc)
    {
        final int css = (cc >>> 4) & 0x7;
        final int mps = (cc >>> 7) & 0xF;
        final int iosqes = (cc >>> 16) & 0xF;
        final int iocqes = (cc >>> 20) & 0xF;
        if (css != 0 || mps != 0)
        {
            return false;
        }
        return controller.discovery() || (iosqes == 6 && iocqes == 4);
    }

    static void flushAll(final Subsystem subsystem)
    {
        if (subsystem == null)
        {
            return;
        }
        for (final Namespace namespace : subsystem.namespaces())
        {
            namespace.flush();
        }
    }
}
