package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.uring.IoUringSupport;

/** io_uring: whether a ring works here, its supported opcodes, and whether SQPOLL is allowed. */
final class IoUringProbe
{
    private IoUringProbe()
    {
    }

    static ObjectNode report()
    {
        final IoUringSupport support = IoUringSupport.probe();
        final ObjectNode uring = JsonNodeFactory.instance.objectNode();
        uring.put("available", support.available());
        uring.put("reason", support.reason());
        final ArrayNode opcodes = uring.putArray("opcodes");
        support.supportedOpcodes().forEach(opcodes::add);
        uring.put("sqpoll_allowed", support.sqpollAllowed());
        uring.put("sqpoll_detail", support.sqpollDetail());
        return uring;
    }
}
